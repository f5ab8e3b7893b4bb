//! Back-office catalogue pages: the product list and the product form with its photo and
//! change log.

use std::borrow::Cow;

use askama::Template;

use super::menu::StaffMenu;
use super::office_repo::Change;
use crate::catalog::model::ProductImage;
use crate::catalog::product_form::{Choices, ProductForm, SizeRow};
use crate::domain::FieldErrors;
use crate::web::PageCtx;

/// A product on the list.
#[derive(Debug, Clone)]
pub struct ProductLine {
    /// Id, for the link.
    pub id: i64,
    /// Dutch name (staff work in Dutch; the English name is on the product's page).
    pub name: String,
    /// Category name.
    pub category: String,
    /// Sizes on sale with their prices, as shown (`M € 34,95`).
    pub sizes: Vec<String>,
    /// Whether it is on sale.
    pub active: bool,
    /// Whether it is an add-on.
    pub is_addon: bool,
    /// Its photo or illustration.
    pub image: ProductImage,
}

/// `GET /medewerkers/catalogus`.
#[derive(Template)]
#[template(path = "staff/catalogue.html")]
pub struct CataloguePage {
    /// Page context.
    pub ctx: PageCtx,
    /// The staff menu.
    pub menu: Option<StaffMenu>,
    /// Every product, add-ons last.
    pub products: Vec<ProductLine>,
}

/// The product form: a new product (`id` `None`) or a stored one with its photo and changes.
#[derive(Template)]
#[template(path = "staff/product.html")]
pub struct ProductFormPage {
    /// Page context.
    pub ctx: PageCtx,
    /// The staff menu.
    pub menu: Option<StaffMenu>,
    /// The product's id (`None`: not stored yet).
    pub id: Option<i64>,
    /// The heading (the stored Dutch name, or "new product").
    pub heading: String,
    /// The shop page's path, when the product is on sale.
    pub shop_path: Option<String>,
    /// The form as shown.
    pub form: ProductForm,
    /// What it chooses from.
    pub choices: Choices,
    /// What to fix.
    pub errors: FieldErrors,
    /// The current picture (stored products).
    pub image: Option<ProductImage>,
    /// Whether it has a photo (not only the illustration).
    pub has_photo: bool,
    /// What to fix about an upload.
    pub photo_error: Option<&'static str>,
    /// Whether the page asks to confirm removing the photo.
    pub confirm_remove_photo: bool,
    /// Recorded changes.
    pub changes: Vec<Change>,
}

impl ProductFormPage {
    /// The message for a field, if it was refused.
    pub fn error(&self, field: &str) -> Option<Cow<'static, str>> {
        self.errors.get(field).map(|key| self.ctx.t(key))
    }

    /// The `aria-invalid` value of a field.
    pub fn invalid(&self, field: &str) -> &'static str {
        if self.errors.contains_key(field) {
            "true"
        } else {
            "false"
        }
    }

    /// Where the form posts.
    pub fn action(&self) -> String {
        match self.id {
            Some(id) => format!("/medewerkers/catalogus/{id}"),
            None => "/medewerkers/catalogus/nieuw".to_owned(),
        }
    }

    /// The size rows as typed.
    pub fn sizes(&self) -> [SizeRow; 4] {
        self.form.size_rows()
    }

    /// A size row's field name (`m_price`).
    pub fn size_field(&self, row: &SizeRow, part: &str) -> &'static str {
        crate::catalog::product_form::field_name(row.prefix, part)
    }

    /// Whether an occasion is ticked.
    pub fn has_occasion(&self, id: &i64) -> bool {
        ProductForm::has(&self.form.occasions, *id)
    }

    /// Whether an add-on is ticked.
    pub fn has_addon(&self, id: &i64) -> bool {
        ProductForm::has(&self.form.addons, *id)
    }

    /// An illustration's file name without folder and extension, as the choice's label.
    pub fn illustration_label<'a>(&self, path: &'a str) -> &'a str {
        let file = path.rsplit('/').next().unwrap_or(path);
        file.strip_suffix(".svg").unwrap_or(file)
    }

    /// The errors in form order, for the summary above the form.
    pub fn error_list(&self) -> Vec<(&'static str, Cow<'static, str>)> {
        self.errors
            .iter()
            .map(|(field, key)| (*field, self.ctx.t(key)))
            .collect()
    }

    /// What the upload takes.
    pub fn photo_hint(&self) -> String {
        let mb = crate::catalog::photos::MAX_UPLOAD_BYTES / (1024 * 1024);
        let side = crate::catalog::photos::MIN_SIDE;
        self.ctx.t_args(
            "staff-photo-hint",
            &[("mb", mb.to_string()), ("side", side.to_string())],
        )
    }
}
