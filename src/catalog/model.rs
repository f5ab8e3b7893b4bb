//! Catalogue domain types. No database or web types here.

use rust_decimal::Decimal;

use crate::i18n::Lang;
use crate::money::Money;

/// Text kept in both shop languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Localized {
    /// Dutch text.
    pub nl: String,
    /// English text.
    pub en: String,
}

impl Localized {
    /// The text in `lang`.
    pub fn get(&self, lang: impl std::borrow::Borrow<Lang>) -> &str {
        match lang.borrow() {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        }
    }
}

/// The VAT class of a product. Dutch rates: 9% for flowers and plants, 21% for arrangements with
/// non-floral material and all other goods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VatRate {
    /// 9%: cut flowers, bouquets, plants.
    Reduced,
    /// 21%: arrangements, vases, cards, chocolates, other goods.
    Standard,
}

impl VatRate {
    /// Parses the stored text form.
    pub fn parse(s: &str) -> Option<VatRate> {
        match s {
            "reduced" => Some(VatRate::Reduced),
            "standard" => Some(VatRate::Standard),
            _ => None,
        }
    }

    /// The stored text form.
    pub fn as_str(self) -> &'static str {
        match self {
            VatRate::Reduced => "reduced",
            VatRate::Standard => "standard",
        }
    }

    /// The rate in percent.
    pub fn percent(self) -> Decimal {
        match self {
            VatRate::Reduced => Decimal::from(9),
            VatRate::Standard => Decimal::from(21),
        }
    }
}

/// A size variant of a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Size {
    /// Small.
    S,
    /// Medium.
    M,
    /// Large.
    L,
    /// The only size (add-ons, gift boxes).
    One,
}

impl Size {
    /// Parses the stored text form.
    pub fn parse(s: &str) -> Option<Size> {
        match s {
            "S" => Some(Size::S),
            "M" => Some(Size::M),
            "L" => Some(Size::L),
            "one" => Some(Size::One),
            _ => None,
        }
    }

    /// The stored text form.
    pub fn as_str(self) -> &'static str {
        match self {
            Size::S => "S",
            Size::M => "M",
            Size::L => "L",
            Size::One => "one",
        }
    }

    /// Message key of the size's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Size::S => "size-s",
            Size::M => "size-m",
            Size::L => "size-l",
            Size::One => "size-one",
        }
    }
}

/// A product category (boeketten, planten, …).
#[derive(Debug, Clone)]
pub struct Category {
    /// URL slug.
    pub slug: String,
    /// Name.
    pub name: Localized,
    /// Short description.
    pub description: Localized,
}

/// An occasion (verjaardag, liefde, …) products can be found by.
#[derive(Debug, Clone)]
pub struct Occasion {
    /// URL slug.
    pub slug: String,
    /// Name.
    pub name: Localized,
}

/// A product as listed on the shop front.
#[derive(Debug, Clone)]
pub struct ProductCard {
    /// URL slug.
    pub slug: String,
    /// Name.
    pub name: Localized,
    /// Path of its image under `static/`.
    pub image: String,
    /// The lowest price among its variants, VAT included.
    pub from_price: Money,
    /// Whether it has more than one price (then "from" is shown).
    pub has_several_prices: bool,
}

/// One size of a product with its price.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Size.
    pub size: Size,
    /// Price including VAT.
    pub price: Money,
}

/// An add-on offered with a product.
#[derive(Debug, Clone)]
pub struct Addon {
    /// URL slug of the add-on product.
    pub slug: String,
    /// Name.
    pub name: Localized,
    /// Image path.
    pub image: String,
    /// Price including VAT.
    pub price: Money,
    /// VAT class.
    pub vat_rate: VatRate,
}

/// Everything the product page shows.
#[derive(Debug, Clone)]
pub struct ProductDetail {
    /// URL slug.
    pub slug: String,
    /// Name.
    pub name: Localized,
    /// Description.
    pub description: Localized,
    /// Image path.
    pub image: String,
    /// VAT class.
    pub vat_rate: VatRate,
    /// Days of preparation needed before delivery (0: same day possible).
    pub lead_time_days: i32,
    /// Whether this is itself an add-on.
    pub is_addon: bool,
    /// Its category.
    pub category: Category,
    /// Sizes, smallest first.
    pub variants: Vec<Variant>,
    /// Add-ons offered with it.
    pub addons: Vec<Addon>,
    /// Occasions it suits.
    pub occasions: Vec<Occasion>,
}

/// What the shop front lists: optional filters and the matching products.
#[derive(Debug, Clone)]
pub struct Listing<'a> {
    /// Every category, for the filter links.
    pub categories: Vec<&'a Category>,
    /// Every occasion, for the filter links.
    pub occasions: Vec<&'a Occasion>,
    /// The category filtered on, if any.
    pub category: Option<&'a Category>,
    /// The occasion filtered on, if any.
    pub occasion: Option<&'a Occasion>,
    /// The matching active products.
    pub products: Vec<&'a ProductCard>,
}
