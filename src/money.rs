//! Money as integer euro cents. Arithmetic is checked (an overflow is a bug, never a wrapped
//! price); display goes through `rust_decimal` so no float ever touches a price.
//!
//! Rounding rule (used wherever a fraction of a cent appears, e.g. VAT): round half away from
//! zero to whole cents (`RoundingStrategy::MidpointAwayFromZero`), the rule Dutch tax
//! authorities and most bookkeeping software use.

use rust_decimal::{Decimal, RoundingStrategy};
use std::fmt;

use crate::i18n::Lang;

/// An amount in euro cents. Prices in the catalogue include VAT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(i64);

impl Money {
    /// Zero euro.
    pub const ZERO: Money = Money(0);

    /// An amount from whole cents.
    pub const fn from_cents(cents: i64) -> Money {
        Money(cents)
    }

    /// The amount in whole cents, as stored in the database.
    pub const fn cents(self) -> i64 {
        self.0
    }

    /// Sum of two amounts; `None` on overflow.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    /// The amount times a quantity; `None` on overflow.
    pub fn checked_mul(self, quantity: i64) -> Option<Money> {
        self.0.checked_mul(quantity).map(Money)
    }

    /// The amount as a decimal number of euros (exact).
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    /// An amount of euros rounded to cents with the module's rounding rule.
    pub fn from_decimal_euros(euros: Decimal) -> Option<Money> {
        let cents = (euros * Decimal::ONE_HUNDRED)
            .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
        i64::try_from(cents).ok().map(Money)
    }

    /// An amount typed by staff: `4,95`, `4.95`, `€ 1.234,50` or `12`. A comma is the decimal
    /// separator when there is one (dots before it group thousands); amounts below zero or
    /// with fractions of a cent are refused rather than rounded.
    pub fn parse_euros(text: &str) -> Result<Money, AmountError> {
        let cleaned: String = text
            .trim()
            .trim_start_matches('€')
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if cleaned.is_empty() {
            return Err(AmountError::Missing);
        }
        let normal = if cleaned.contains(',') {
            cleaned.replace('.', "").replace(',', ".")
        } else {
            cleaned
        };
        let euros: Decimal = normal.parse().map_err(|_| AmountError::NotANumber)?;
        if euros.is_sign_negative() && !euros.is_zero() {
            return Err(AmountError::Negative);
        }
        if euros.normalize().scale() > 2 {
            return Err(AmountError::FractionOfACent);
        }
        Money::from_decimal_euros(euros).ok_or(AmountError::TooLarge)
    }

    /// The amount as staff type it back: `4,95` / `4.95` (no currency sign).
    pub fn plain(self, lang: Lang) -> String {
        let text = format!("{}.{:02}", self.0 / 100, (self.0 % 100).abs());
        match lang {
            Lang::Nl => text.replace('.', ","),
            Lang::En => text,
        }
    }

    /// The amount as shown to a customer: `€ 1.234,95` in Dutch, `€1,234.95` in English.
    pub fn display(self, lang: Lang) -> String {
        self.shown(lang).to_string()
    }

    /// The amount as shown to a customer, written straight into a page (no string of its own).
    pub fn shown(self, lang: Lang) -> Shown {
        Shown { amount: self, lang }
    }
}

/// A price in a language's notation; safe in HTML as it is (a sign, `€`, digits and separators).
#[derive(Debug, Clone, Copy)]
pub struct Shown {
    amount: Money,
    lang: Lang,
}

impl std::fmt::Display for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use std::fmt::Write;
        let (thousands, decimal, space) = match self.lang {
            Lang::Nl => ('.', ',', " "),
            Lang::En => (',', '.', ""),
        };
        // Straight from the cents (a page shows dozens of prices; no decimal type needed).
        let cents = self.amount.0.unsigned_abs();
        if self.amount.0 < 0 {
            f.write_char('-')?;
        }
        f.write_char('€')?;
        f.write_str(space)?;
        let mut digits = [0u8; 20];
        let mut whole = cents / 100;
        let mut len = 0;
        loop {
            digits[len] = b'0' + (whole % 10) as u8;
            len += 1;
            whole /= 10;
            if whole == 0 {
                break;
            }
        }
        for i in (0..len).rev() {
            f.write_char(char::from(digits[i]))?;
            if i > 0 && i % 3 == 0 {
                f.write_char(thousands)?;
            }
        }
        f.write_char(decimal)?;
        let rest = cents % 100;
        f.write_char(char::from(b'0' + (rest / 10) as u8))?;
        f.write_char(char::from(b'0' + (rest % 10) as u8))
    }
}

impl askama::filters::HtmlSafe for Shown {}

/// Why a typed amount was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountError {
    /// Nothing typed.
    Missing,
    /// Not a number.
    NotANumber,
    /// Below zero.
    Negative,
    /// More than two decimals.
    FractionOfACent,
    /// Beyond what a price can be.
    TooLarge,
}

impl AmountError {
    /// Catalogue key of the explanation.
    pub fn message_key(self) -> &'static str {
        match self {
            AmountError::Missing => "amount-error-missing",
            AmountError::NotANumber => "amount-error-not-a-number",
            AmountError::Negative => "amount-error-negative",
            AmountError::FractionOfACent => "amount-error-cents",
            AmountError::TooLarge => "amount-error-too-large",
        }
    }
}

// Templates hand values over by reference (inside loops, by reference to a reference).
impl From<&Money> for Money {
    fn from(amount: &Money) -> Money {
        *amount
    }
}

impl From<&&Money> for Money {
    fn from(amount: &&Money) -> Money {
        **amount
    }
}

impl fmt::Display for Money {
    /// Plain decimal euros (`24.95`), for logs and machine-readable output.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.2}", self.to_decimal())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_prices_use_a_comma_and_a_space_after_the_euro_sign() {
        assert_eq!(Money::from_cents(2495).display(Lang::Nl), "€ 24,95");
        assert_eq!(Money::from_cents(5).display(Lang::Nl), "€ 0,05");
        assert_eq!(Money::from_cents(123_456).display(Lang::Nl), "€ 1.234,56");
        assert_eq!(
            Money::from_cents(100_000_000).display(Lang::Nl),
            "€ 1.000.000,00"
        );
    }

    #[test]
    fn english_prices_use_a_point_and_no_space() {
        assert_eq!(Money::from_cents(2495).display(Lang::En), "€24.95");
        assert_eq!(Money::from_cents(123_456).display(Lang::En), "€1,234.56");
    }

    #[test]
    fn negative_amounts_keep_their_sign_in_front() {
        assert_eq!(Money::from_cents(-1050).display(Lang::Nl), "-€ 10,50");
    }

    #[test]
    fn rounding_goes_half_away_from_zero() {
        let half = Decimal::new(12345, 3); // 12.345
        assert_eq!(
            Money::from_decimal_euros(half),
            Some(Money::from_cents(1235))
        );
        let below = Decimal::new(12344, 3);
        assert_eq!(
            Money::from_decimal_euros(below),
            Some(Money::from_cents(1234))
        );
        let negative = Decimal::new(-12345, 3);
        assert_eq!(
            Money::from_decimal_euros(negative),
            Some(Money::from_cents(-1235))
        );
    }

    #[test]
    fn overflowing_arithmetic_is_refused_not_wrapped() {
        assert_eq!(
            Money::from_cents(i64::MAX).checked_add(Money::from_cents(1)),
            None
        );
        assert_eq!(Money::from_cents(i64::MAX).checked_mul(2), None);
        assert_eq!(
            Money::from_cents(250).checked_mul(3),
            Some(Money::from_cents(750))
        );
    }

    #[test]
    fn typed_amounts_read_with_a_comma_or_a_dot_and_refuse_negatives_and_fractions_of_cents() {
        for (text, cents) in [
            ("4,95", 495),
            ("4.95", 495),
            ("€ 1.234,50", 123_450),
            ("12", 1200),
            (" 0 ", 0),
            ("7,5", 750),
        ] {
            assert_eq!(
                Money::parse_euros(text),
                Ok(Money::from_cents(cents)),
                "{text}"
            );
        }
        assert_eq!(Money::parse_euros(""), Err(AmountError::Missing));
        assert_eq!(Money::parse_euros("vijf"), Err(AmountError::NotANumber));
        assert_eq!(Money::parse_euros("-1"), Err(AmountError::Negative));
        assert_eq!(
            Money::parse_euros("4,955"),
            Err(AmountError::FractionOfACent)
        );
        assert_eq!(Money::from_cents(495).plain(Lang::Nl), "4,95");
        assert_eq!(Money::from_cents(1200).plain(Lang::En), "12.00");
    }
}
