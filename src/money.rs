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

    /// The amount as shown to a customer: `€ 1.234,95` in Dutch, `€1,234.95` in English.
    pub fn display(self, lang: Lang) -> String {
        let (thousands, decimal, space) = match lang {
            Lang::Nl => ('.', ',', " "),
            Lang::En => (',', '.', ""),
        };
        // Straight from the cents (a page shows dozens of prices; no decimal type needed).
        let sign = if self.0 < 0 { "-" } else { "" };
        let cents = self.0.unsigned_abs();
        let whole = (cents / 100).to_string();
        let mut text = String::with_capacity(16);
        text.push_str(sign);
        text.push('€');
        text.push_str(space);
        for (i, digit) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                text.push(thousands);
            }
            text.push(digit);
        }
        text.push(decimal);
        let _ = std::fmt::Write::write_fmt(&mut text, format_args!("{:02}", cents % 100));
        text
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
}
