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
    /// Text whose English may be left empty by staff: the Dutch text stands in for it.
    pub fn or_dutch(nl: &str, en: &str) -> Localized {
        Localized {
            nl: nl.to_owned(),
            en: if en.trim().is_empty() { nl } else { en }.to_owned(),
        }
    }

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

/// A product photo: the content hash its URLs carry and the widths it is kept in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    /// Short content hash of the uploaded file; a new photo gets new URLs, so browsers may
    /// keep each one for a year.
    pub key: String,
    /// Widths in pixels, narrowest first (the photos are square).
    pub widths: Vec<u32>,
}

impl Photo {
    /// Reads the stored form `key:400,800,1200`.
    pub fn parse(stored: &str) -> Option<Photo> {
        let (key, widths) = stored.split_once(':')?;
        let widths: Vec<u32> = widths
            .split(',')
            .map(str::parse)
            .collect::<Result<_, _>>()
            .ok()?;
        let safe_key = !key.is_empty() && key.bytes().all(|b| b.is_ascii_hexdigit());
        (safe_key && !widths.is_empty()).then(|| Photo {
            key: key.to_owned(),
            widths,
        })
    }

    /// The stored form.
    pub fn stored(&self) -> String {
        let widths: Vec<String> = self.widths.iter().map(u32::to_string).collect();
        format!("{}:{}", self.key, widths.join(","))
    }

    /// The URL of one width.
    pub fn url(&self, width: u32) -> String {
        format!("/fotos/{}-{width}.jpg", self.key)
    }
}

/// What a product looks like in the shop: its photo when staff uploaded one, else its drawn
/// illustration (a file under `static/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductImage {
    /// Path of the illustration under `static/`.
    pub illustration: String,
    /// The photo, if any.
    pub photo: Option<Photo>,
}

impl ProductImage {
    /// The `src` of an image shown `css_width` pixels wide: the narrowest photo width that
    /// covers it, or the illustration.
    pub fn src(&self, css_width: u32) -> String {
        match &self.photo {
            Some(photo) => {
                let width = photo
                    .widths
                    .iter()
                    .copied()
                    .find(|w| *w >= css_width)
                    .or_else(|| photo.widths.last().copied())
                    .unwrap_or(css_width);
                photo.url(width)
            }
            None => crate::web::assets::url(&self.illustration).to_string(),
        }
    }

    /// The `srcset` of a photo (`None` for an illustration, which scales by itself).
    pub fn srcset(&self) -> Option<String> {
        let photo = self.photo.as_ref()?;
        let set: Vec<String> = photo
            .widths
            .iter()
            .map(|w| format!("{} {w}w", photo.url(*w)))
            .collect();
        Some(set.join(", "))
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
    /// Its photo or illustration.
    pub image: ProductImage,
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
    /// What this size is (number of stems, height); may be empty.
    pub description: Localized,
}

/// An add-on offered with a product.
#[derive(Debug, Clone)]
pub struct Addon {
    /// URL slug of the add-on product.
    pub slug: String,
    /// Name.
    pub name: Localized,
    /// Its photo or illustration.
    pub image: ProductImage,
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
    /// Its photo or illustration.
    pub image: ProductImage,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_photo_reads_back_and_nothing_unsafe_becomes_a_photo() {
        let photo = Photo {
            key: "0a1b2c3d4e5f".into(),
            widths: vec![400, 800],
        };
        assert_eq!(Photo::parse(&photo.stored()), Some(photo.clone()));
        assert_eq!(Photo::parse("../etc:400"), None);
        assert_eq!(Photo::parse("abc:"), None);
        assert_eq!(Photo::parse("abc"), None);
        let image = ProductImage {
            illustration: "img/products/monstera.svg".into(),
            photo: Some(photo),
        };
        assert_eq!(image.src(500), "/fotos/0a1b2c3d4e5f-800.jpg");
        assert_eq!(image.src(2000), "/fotos/0a1b2c3d4e5f-800.jpg");
        assert_eq!(
            image.srcset().unwrap(),
            "/fotos/0a1b2c3d4e5f-400.jpg 400w, /fotos/0a1b2c3d4e5f-800.jpg 800w"
        );
    }
}
