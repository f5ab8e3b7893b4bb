//! Shop-front page templates.

use askama::Template;

use super::model::{Listing, ProductDetail, Size};
use crate::web::PageCtx;

/// The shop front (`/`) and a category page (`/categorie/{slug}`): filter links and products.
#[derive(Template)]
#[template(path = "catalog/listing.html")]
pub struct ListingPage<'a> {
    /// Page context.
    pub ctx: PageCtx,
    /// What to show.
    pub listing: Listing<'a>,
}

impl ListingPage<'_> {
    /// The page heading: the category's name, else the occasion's, else the shop's range.
    pub fn heading(&self) -> String {
        let lang = self.ctx.lang;
        match (&self.listing.category, &self.listing.occasion) {
            (Some(c), _) => c.name.get(lang).to_owned(),
            (None, Some(o)) => o.name.get(lang).to_owned(),
            (None, None) => lang.t("home-heading").into_owned(),
        }
    }

    /// Link to a category (or to all categories), keeping the occasion filter.
    pub fn category_link(&self, slug: Option<&str>) -> String {
        let base = match slug {
            Some(s) => format!("/categorie/{s}"),
            None => "/".to_owned(),
        };
        match &self.listing.occasion {
            Some(o) => format!("{base}?gelegenheid={}", o.slug),
            None => base,
        }
    }

    /// Link to an occasion (or to all occasions), keeping the category.
    pub fn occasion_link(&self, slug: Option<&str>) -> String {
        let base = match &self.listing.category {
            Some(c) => format!("/categorie/{}", c.slug),
            None => "/".to_owned(),
        };
        match slug {
            Some(s) => format!("{base}?gelegenheid={s}"),
            None => base,
        }
    }

    /// Whether the category filter is on this slug (`None`: no category filter).
    pub fn is_category(&self, slug: Option<&str>) -> bool {
        self.listing.category.map(|c| c.slug.as_str()) == slug
    }

    /// Whether the occasion filter is on this slug (`None`: no occasion filter).
    pub fn is_occasion(&self, slug: Option<&str>) -> bool {
        self.listing.occasion.map(|o| o.slug.as_str()) == slug
    }
}

/// The state of the product page's order form: what was chosen and what to fix.
#[derive(Debug, Clone)]
pub struct AddToCartForm {
    /// Chosen size.
    pub size: Option<Size>,
    /// Chosen add-on slugs.
    pub addons: Vec<String>,
    /// Quantity as typed.
    pub quantity: String,
    /// Message key for the size field.
    pub size_error: Option<&'static str>,
    /// Message key for the quantity field.
    pub quantity_error: Option<&'static str>,
}

impl Default for AddToCartForm {
    fn default() -> Self {
        AddToCartForm {
            size: None,
            addons: Vec::new(),
            quantity: "1".to_owned(),
            size_error: None,
            quantity_error: None,
        }
    }
}

/// The product page.
#[derive(Template)]
#[template(path = "catalog/product.html")]
pub struct ProductPage {
    /// Page context.
    pub ctx: PageCtx,
    /// The product.
    pub product: ProductDetail,
    /// The order form's state.
    pub form: AddToCartForm,
}

impl ProductPage {
    /// The page with a fresh order form (the only size preselected when there is one).
    pub fn new(ctx: PageCtx, product: ProductDetail) -> ProductPage {
        let form = AddToCartForm {
            size: match product.variants.as_slice() {
                [only] => Some(only.size),
                _ => None,
            },
            ..AddToCartForm::default()
        };
        ProductPage { ctx, product, form }
    }

    /// The page showing a submitted form again, with its choices and messages.
    pub fn with_form(ctx: PageCtx, product: ProductDetail, form: AddToCartForm) -> ProductPage {
        ProductPage { ctx, product, form }
    }

    /// Whether this size is chosen in the form.
    pub fn size_checked(&self, size: &Size) -> bool {
        self.form.size.as_ref() == Some(size)
    }

    /// Whether this add-on is chosen in the form.
    pub fn addon_checked(&self, slug: &str) -> bool {
        self.form.addons.iter().any(|a| a == slug)
    }

    /// The lead-time sentence in the page's language.
    pub fn lead_time(&self) -> String {
        match self.product.lead_time_days {
            0 => self.ctx.t("product-lead-time-same-day").into_owned(),
            days => self
                .ctx
                .t_args("product-lead-time-days", &[("days", days.to_string())]),
        }
    }

    /// Alt text of the product photo.
    pub fn image_alt(&self) -> String {
        self.ctx.t_args(
            "product-image-alt",
            &[("name", self.product.name.get(self.ctx.lang).to_owned())],
        )
    }

    /// The VAT sentence in the page's language.
    pub fn vat_note(&self) -> String {
        self.ctx.t_args(
            "product-vat-included",
            &[("rate", self.product.vat_rate.percent().to_string())],
        )
    }
}
