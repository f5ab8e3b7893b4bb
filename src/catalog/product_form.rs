//! The back office's product form: every field as typed (so a refused form comes back as it
//! was), checked once into a [`ProductDraft`] that the catalogue stores.

use std::collections::BTreeSet;

use serde::Deserialize;

use super::model::{Localized, Size, VatRate};
use super::repo::{CategoryRow, OccasionRow};
use crate::domain::FieldErrors;
use crate::i18n::Lang;
use crate::money::Money;

/// The sizes the form offers, in form order.
pub const SIZES: [Size; 4] = [Size::S, Size::M, Size::L, Size::One];
/// The longest product name.
pub const NAME_MAX: usize = 80;
/// The longest size description ("15 stelen, ca. 50 cm").
pub const SIZE_TEXT_MAX: usize = 80;
/// The longest description.
pub const DESCRIPTION_MAX: usize = 2000;
/// The longest lead time staff may set, in days.
pub const LEAD_TIME_MAX: i32 = 14;

/// The product form as typed (every field kept, so a refused form comes back as it was).
#[derive(Debug, Clone, Default, Deserialize)]
#[allow(missing_docs)]
pub struct ProductForm {
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub name_nl: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub description_nl: String,
    #[serde(default)]
    pub description_en: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub vat_rate: String,
    #[serde(default)]
    pub lead_time_days: String,
    #[serde(default)]
    pub position: String,
    #[serde(default)]
    pub illustration: String,
    #[serde(default)]
    pub active: Option<String>,
    #[serde(default)]
    pub is_addon: Option<String>,
    #[serde(default)]
    pub occasions: Vec<String>,
    #[serde(default)]
    pub addons: Vec<String>,
    #[serde(default)]
    pub s_price: String,
    #[serde(default)]
    pub s_nl: String,
    #[serde(default)]
    pub s_en: String,
    #[serde(default)]
    pub s_active: Option<String>,
    #[serde(default)]
    pub m_price: String,
    #[serde(default)]
    pub m_nl: String,
    #[serde(default)]
    pub m_en: String,
    #[serde(default)]
    pub m_active: Option<String>,
    #[serde(default)]
    pub l_price: String,
    #[serde(default)]
    pub l_nl: String,
    #[serde(default)]
    pub l_en: String,
    #[serde(default)]
    pub l_active: Option<String>,
    #[serde(default)]
    pub one_price: String,
    #[serde(default)]
    pub one_nl: String,
    #[serde(default)]
    pub one_en: String,
    #[serde(default)]
    pub one_active: Option<String>,
}

/// One size's row of the form, as typed.
#[derive(Debug, Clone)]
pub struct SizeRow {
    /// The size.
    pub size: Size,
    /// Field name prefix (`s`, `m`, `l`, `one`).
    pub prefix: &'static str,
    /// Price as typed.
    pub price: String,
    /// Dutch description as typed.
    pub nl: String,
    /// English description as typed.
    pub en: String,
    /// Whether it is on sale.
    pub active: bool,
}

fn prefix(size: Size) -> &'static str {
    match size {
        Size::S => "s",
        Size::M => "m",
        Size::L => "l",
        Size::One => "one",
    }
}

/// What the form can choose from: read inside the saving transaction.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    /// Every category.
    pub categories: Vec<CategoryRow>,
    /// Every occasion.
    pub occasions: Vec<OccasionRow>,
    /// Every add-on product: id and Dutch name.
    pub addons: Vec<(i64, String)>,
    /// The illustrations under `static/`.
    pub illustrations: Vec<String>,
}

/// A size of a checked product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantDraft {
    /// The size.
    pub size: Size,
    /// Its price (`None`: no price typed, so not on sale; an earlier price is kept).
    pub price: Option<Money>,
    /// What the size is.
    pub description: Localized,
    /// Whether it is on sale.
    pub active: bool,
}

/// A checked product: every field parsed, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct ProductDraft {
    pub slug: String,
    pub category_id: i64,
    pub name: Localized,
    pub description: Localized,
    pub vat_rate: VatRate,
    pub lead_time_days: i32,
    pub position: i32,
    pub active: bool,
    pub is_addon: bool,
    pub illustration: String,
    pub occasions: BTreeSet<i64>,
    pub addons: BTreeSet<i64>,
    pub variants: Vec<VariantDraft>,
}

fn text(value: &str, max: usize, field: &'static str, errors: &mut FieldErrors) -> String {
    let value = value.trim().to_owned();
    if value.chars().count() > max {
        errors.insert(field, "product-error-too-long");
    }
    value
}

fn ids(values: &[String], known: impl Fn(i64) -> bool) -> Option<BTreeSet<i64>> {
    values
        .iter()
        .map(|v| v.parse::<i64>().ok().filter(|id| known(*id)))
        .collect()
}

impl ProductForm {
    /// A new product's form: on sale, 9% VAT, no lead time, after the last product.
    pub fn new_product(next_position: i32) -> ProductForm {
        ProductForm {
            vat_rate: VatRate::Reduced.as_str().into(),
            lead_time_days: "0".into(),
            position: next_position.to_string(),
            active: Some("on".into()),
            ..ProductForm::default()
        }
    }

    /// The form filled in from a stored product.
    pub fn of(draft: &ProductDraft, categories: &[CategoryRow], lang: Lang) -> ProductForm {
        let mut form = ProductForm {
            slug: draft.slug.clone(),
            name_nl: draft.name.nl.clone(),
            name_en: draft.name.en.clone(),
            description_nl: draft.description.nl.clone(),
            description_en: draft.description.en.clone(),
            category: categories
                .iter()
                .find(|c| c.id == draft.category_id)
                .map(|c| c.slug.clone())
                .unwrap_or_default(),
            vat_rate: draft.vat_rate.as_str().into(),
            lead_time_days: draft.lead_time_days.to_string(),
            position: draft.position.to_string(),
            illustration: draft.illustration.clone(),
            active: draft.active.then(|| "on".into()),
            is_addon: draft.is_addon.then(|| "on".into()),
            occasions: draft.occasions.iter().map(i64::to_string).collect(),
            addons: draft.addons.iter().map(i64::to_string).collect(),
            ..ProductForm::default()
        };
        for v in &draft.variants {
            let price = v.price.map(|p| p.plain(lang)).unwrap_or_default();
            let (nl, en) = (v.description.nl.clone(), v.description.en.clone());
            let active = v.active.then(|| "on".to_owned());
            let slot = match v.size {
                Size::S => (
                    &mut form.s_price,
                    &mut form.s_nl,
                    &mut form.s_en,
                    &mut form.s_active,
                ),
                Size::M => (
                    &mut form.m_price,
                    &mut form.m_nl,
                    &mut form.m_en,
                    &mut form.m_active,
                ),
                Size::L => (
                    &mut form.l_price,
                    &mut form.l_nl,
                    &mut form.l_en,
                    &mut form.l_active,
                ),
                Size::One => (
                    &mut form.one_price,
                    &mut form.one_nl,
                    &mut form.one_en,
                    &mut form.one_active,
                ),
            };
            (*slot.0, *slot.1, *slot.2, *slot.3) = (price, nl, en, active);
        }
        form
    }

    /// The four size rows as typed.
    pub fn size_rows(&self) -> [SizeRow; 4] {
        let row = |size, price: &str, nl: &str, en: &str, active: &Option<String>| SizeRow {
            size,
            prefix: prefix(size),
            price: price.to_owned(),
            nl: nl.to_owned(),
            en: en.to_owned(),
            active: active.is_some(),
        };
        [
            row(
                Size::S,
                &self.s_price,
                &self.s_nl,
                &self.s_en,
                &self.s_active,
            ),
            row(
                Size::M,
                &self.m_price,
                &self.m_nl,
                &self.m_en,
                &self.m_active,
            ),
            row(
                Size::L,
                &self.l_price,
                &self.l_nl,
                &self.l_en,
                &self.l_active,
            ),
            row(
                Size::One,
                &self.one_price,
                &self.one_nl,
                &self.one_en,
                &self.one_active,
            ),
        ]
    }

    /// Whether an occasion / add-on id is ticked.
    pub fn has(list: &[String], id: i64) -> bool {
        list.iter().any(|v| v.parse() == Ok(id))
    }

    /// The product the form describes, or what to fix per field. `slug` is the product's
    /// own URL name when it is being changed (URL names never change once given: links to
    /// the product, in mails and on the web, keep working).
    pub fn parse(
        &self,
        choices: &Choices,
        slug: Option<&str>,
    ) -> Result<ProductDraft, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name_nl = text(&self.name_nl, NAME_MAX, "name_nl", &mut errors);
        if name_nl.is_empty() {
            errors.insert("name_nl", "product-error-name");
        }
        let name_en = text(&self.name_en, NAME_MAX, "name_en", &mut errors);
        let description_nl = text(
            &self.description_nl,
            DESCRIPTION_MAX,
            "description_nl",
            &mut errors,
        );
        let description_en = text(
            &self.description_en,
            DESCRIPTION_MAX,
            "description_en",
            &mut errors,
        );
        let slug = match slug {
            Some(own) => own.to_owned(),
            None => {
                let typed = self.slug.trim();
                let made = slug::slugify(if typed.is_empty() { &name_nl } else { typed });
                if typed.is_empty() && made.is_empty() {
                    // Reported with the name.
                } else if made.len() < 2 || made.len() > 60 || (!typed.is_empty() && made != typed)
                {
                    errors.insert("slug", "product-error-slug");
                }
                made
            }
        };
        let category = choices.categories.iter().find(|c| c.slug == self.category);
        if category.is_none() {
            errors.insert("category", "product-error-category");
        }
        let vat_rate = VatRate::parse(&self.vat_rate);
        if vat_rate.is_none() {
            errors.insert("vat_rate", "product-error-vat");
        }
        let lead_time_days = self
            .lead_time_days
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|d| (0..=LEAD_TIME_MAX).contains(d));
        if lead_time_days.is_none() {
            errors.insert("lead_time_days", "product-error-lead-time");
        }
        let position = self
            .position
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|p| (0..=9999).contains(p));
        if position.is_none() {
            errors.insert("position", "product-error-position");
        }
        if !choices.illustrations.contains(&self.illustration) {
            errors.insert("illustration", "product-error-illustration");
        }
        let occasions = ids(&self.occasions, |id| {
            choices.occasions.iter().any(|o| o.id == id)
        });
        let addons = ids(&self.addons, |id| {
            choices.addons.iter().any(|(a, _)| *a == id)
        });
        if occasions.is_none() || addons.is_none() {
            errors.insert("links", "product-error-links");
        }
        let variants = self.variants(&mut errors);
        let (active, is_addon) = (self.active.is_some(), self.is_addon.is_some());
        let on_sale: Vec<Size> = variants
            .iter()
            .filter(|v| v.active)
            .map(|v| v.size)
            .collect();
        if active && on_sale.is_empty() {
            errors.entry("sizes").or_insert("product-error-no-size");
        } else if on_sale.contains(&Size::One) && on_sale.len() > 1 {
            errors
                .entry("sizes")
                .or_insert("product-error-one-and-sizes");
        } else if is_addon && on_sale.iter().any(|s| *s != Size::One) {
            errors.entry("sizes").or_insert("product-error-addon-size");
        }
        let (
            Some(category),
            Some(vat_rate),
            Some(lead_time_days),
            Some(position),
            Some(occasions),
            Some(addons),
        ) = (
            category,
            vat_rate,
            lead_time_days,
            position,
            occasions,
            addons,
        )
        else {
            return Err(errors);
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ProductDraft {
            slug,
            category_id: category.id,
            // Stored as typed: an empty English text means "show the Dutch one" (the shop
            // falls back when it reads), so a later change to the Dutch text shows in both.
            name: Localized {
                nl: name_nl,
                en: name_en,
            },
            description: Localized {
                nl: description_nl,
                en: description_en,
            },
            vat_rate,
            lead_time_days,
            position,
            active,
            is_addon,
            illustration: self.illustration.clone(),
            occasions,
            addons,
            variants,
        })
    }

    fn variants(&self, errors: &mut FieldErrors) -> Vec<VariantDraft> {
        let mut variants = Vec::new();
        for row in self.size_rows() {
            let price_field = field_name(row.prefix, "price");
            let price = if row.price.trim().is_empty() {
                None
            } else {
                match Money::parse_euros(&row.price) {
                    Ok(p) if p.cents() == 0 => {
                        errors.insert(price_field, "product-error-price-zero");
                        None
                    }
                    Ok(p) => Some(p),
                    Err(e) => {
                        errors.insert(price_field, e.message_key());
                        None
                    }
                }
            };
            let nl = text(&row.nl, SIZE_TEXT_MAX, field_name(row.prefix, "nl"), errors);
            let en = text(&row.en, SIZE_TEXT_MAX, field_name(row.prefix, "en"), errors);
            if row.active && price.is_none() && !errors.contains_key(price_field) {
                errors.insert(price_field, "product-error-price-missing");
            }
            if price.is_some() || !nl.is_empty() {
                variants.push(VariantDraft {
                    size: row.size,
                    price,
                    description: Localized { nl, en },
                    active: row.active && price.is_some(),
                });
            }
        }
        variants
    }
}

/// The form's field name for a size's part (`m_price`).
pub fn field_name(prefix: &str, part: &str) -> &'static str {
    const NAMES: [[&str; 3]; 4] = [
        ["s_price", "s_nl", "s_en"],
        ["m_price", "m_nl", "m_en"],
        ["l_price", "l_nl", "l_en"],
        ["one_price", "one_nl", "one_en"],
    ];
    let row = ["s", "m", "l", "one"]
        .iter()
        .position(|p| *p == prefix)
        .unwrap_or(0);
    let col = ["price", "nl", "en"]
        .iter()
        .position(|p| *p == part)
        .unwrap_or(0);
    NAMES[row][col]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choices() -> Choices {
        Choices {
            categories: vec![CategoryRow {
                id: 3,
                slug: "boeketten".into(),
                name_nl: "Boeketten".into(),
                name_en: "Bouquets".into(),
                description_nl: String::new(),
                description_en: String::new(),
                position: 0,
            }],
            occasions: Vec::new(),
            addons: vec![(9, "Vaas".into())],
            illustrations: vec!["img/products/monstera.svg".into()],
        }
    }

    fn form() -> ProductForm {
        ProductForm {
            name_nl: "Boeket Ève".into(),
            category: "boeketten".into(),
            illustration: "img/products/monstera.svg".into(),
            m_price: "€ 1.234,50".into(),
            m_active: Some("on".into()),
            addons: vec!["9".into()],
            ..ProductForm::new_product(4)
        }
    }

    #[test]
    fn a_new_product_gets_its_url_name_from_its_dutch_name_and_keeps_english_as_typed() {
        let draft = form().parse(&choices(), None).unwrap();
        assert_eq!(draft.slug, "boeket-eve");
        assert_eq!(
            draft.name.en, "",
            "empty English stays empty; the shop falls back"
        );
        assert_eq!(draft.category_id, 3);
        assert_eq!(draft.variants.len(), 1);
        assert_eq!(draft.variants[0].price, Some(Money::from_cents(123_450)));
        assert!(draft.addons.contains(&9));
        // A stored product keeps its URL name whatever is typed.
        let changed = ProductForm {
            slug: "iets-anders".into(),
            ..form()
        };
        assert_eq!(changed.parse(&choices(), Some("oud")).unwrap().slug, "oud");
    }

    #[test]
    fn sizes_that_cannot_be_sold_together_and_unknown_choices_are_refused() {
        let both = ProductForm {
            one_price: "5".into(),
            one_active: Some("on".into()),
            ..form()
        };
        let errors = both.parse(&choices(), None).unwrap_err();
        assert_eq!(errors.get("sizes"), Some(&"product-error-one-and-sizes"));
        let addon = ProductForm {
            is_addon: Some("on".into()),
            ..form()
        };
        let errors = addon.parse(&choices(), None).unwrap_err();
        assert_eq!(errors.get("sizes"), Some(&"product-error-addon-size"));
        let unknown = ProductForm {
            addons: vec!["10".into()],
            illustration: "../../etc/passwd".into(),
            ..form()
        };
        let errors = unknown.parse(&choices(), None).unwrap_err();
        assert!(errors.contains_key("links") && errors.contains_key("illustration"));
        // Off sale, a product needs no size; a ticked size needs a price.
        let off = ProductForm {
            active: None,
            m_price: String::new(),
            ..form()
        };
        let errors = off.parse(&choices(), None).unwrap_err();
        assert_eq!(errors.get("m_price"), Some(&"product-error-price-missing"));
    }
}
