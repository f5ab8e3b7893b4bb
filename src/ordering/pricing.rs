//! Prices and VAT of an order. Catalogue prices include VAT; everything is summed in integer
//! cents and the VAT contained in each rate's total is computed once per rate with
//! `rust_decimal`:
//!
//! - **Rounding rule** (one, everywhere): VAT per rate = gross × rate / (100 + rate), rounded
//!   half away from zero to whole cents (see [`crate::money`]). Computing per rate total rather
//!   than per line is what Dutch invoices show and avoids summing rounding errors.
//! - **Delivery fee**: an ancillary cost follows the VAT rate of the goods it delivers. When an
//!   order mixes 9% and 21% goods, the fee is split over the rates in proportion to the goods'
//!   gross amounts per rate (the 9% share rounded to cents, the 21% share taking the rest, so
//!   the parts always add up to the fee), and each part is taxed with its rate.

use rust_decimal::Decimal;

use crate::catalog::model::VatRate;
use crate::money::Money;

/// The VAT contained in one rate's share of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VatLine {
    /// The rate.
    pub rate: VatRate,
    /// Gross amount (VAT included) taxed at this rate, delivery share included.
    pub gross: Money,
    /// The VAT contained in `gross`.
    pub vat: Money,
}

impl VatLine {
    /// The amount without VAT.
    pub fn net(&self) -> Money {
        Money::from_cents(self.gross.cents() - self.vat.cents())
    }
}

/// Totals of an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    /// Sum of the goods, VAT included.
    pub goods: Money,
    /// The delivery fee, VAT included (zero for pickup).
    pub delivery_fee: Money,
    /// What the customer pays.
    pub total: Money,
    /// VAT per rate, 9% first; rates without any amount are left out.
    pub vat: Vec<VatLine>,
}

/// Why an order could not be priced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceOverflow;

/// The VAT contained in a gross amount at `rate`, with the module's rounding rule.
pub fn vat_in(gross: Money, rate: VatRate) -> Money {
    let gross = gross.to_decimal();
    let vat = gross * rate.percent() / (Decimal::ONE_HUNDRED + rate.percent());
    Money::from_decimal_euros(vat).unwrap_or(Money::ZERO)
}

/// Totals for goods given as `(rate, gross amount)` parts plus a delivery fee.
pub fn totals(parts: &[(VatRate, Money)], delivery_fee: Money) -> Result<Totals, PriceOverflow> {
    let mut reduced = Money::ZERO;
    let mut standard = Money::ZERO;
    for (rate, amount) in parts {
        let sum = match rate {
            VatRate::Reduced => &mut reduced,
            VatRate::Standard => &mut standard,
        };
        *sum = sum.checked_add(*amount).ok_or(PriceOverflow)?;
    }
    let goods = reduced.checked_add(standard).ok_or(PriceOverflow)?;
    let (fee_reduced, fee_standard) = split_fee(delivery_fee, reduced, standard);
    let mut vat = Vec::new();
    for (rate, goods_part, fee_part) in [
        (VatRate::Reduced, reduced, fee_reduced),
        (VatRate::Standard, standard, fee_standard),
    ] {
        let gross = goods_part.checked_add(fee_part).ok_or(PriceOverflow)?;
        if gross != Money::ZERO {
            vat.push(VatLine {
                rate,
                gross,
                vat: vat_in(gross, rate),
            });
        }
    }
    Ok(Totals {
        goods,
        delivery_fee,
        total: goods.checked_add(delivery_fee).ok_or(PriceOverflow)?,
        vat,
    })
}

/// Splits the fee over the two rates in proportion to the goods per rate. Without goods (not a
/// real order) the fee is taxed at the standard rate.
fn split_fee(fee: Money, reduced: Money, standard: Money) -> (Money, Money) {
    let goods = reduced.cents() + standard.cents();
    if goods == 0 {
        return (Money::ZERO, fee);
    }
    let share = Decimal::from(fee.cents()) * Decimal::from(reduced.cents()) / Decimal::from(goods);
    let reduced_fee =
        Money::from_decimal_euros(share / Decimal::ONE_HUNDRED).unwrap_or(Money::ZERO);
    let standard_fee = Money::from_cents(fee.cents() - reduced_fee.cents());
    (reduced_fee, standard_fee)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(cents: i64) -> Money {
        Money::from_cents(cents)
    }

    #[test]
    fn vat_contained_in_a_price_is_rounded_half_away_from_zero() {
        assert_eq!(vat_in(m(2495), VatRate::Reduced), m(206)); // 2.0600917 → 2.06
        assert_eq!(vat_in(m(1295), VatRate::Standard), m(225)); // 2.2475 → 2.25
        assert_eq!(vat_in(m(109), VatRate::Reduced), m(9));
        assert_eq!(vat_in(m(121), VatRate::Standard), m(21));
        assert_eq!(vat_in(m(0), VatRate::Standard), m(0));
    }

    #[test]
    fn a_bouquet_with_a_vase_shows_vat_per_rate_and_the_fee_split_by_share() {
        // Bouquet 24,95 at 9%, vase 12,95 at 21%, delivery 4,95.
        let t = totals(
            &[(VatRate::Reduced, m(2495)), (VatRate::Standard, m(1295))],
            m(495),
        )
        .unwrap();
        assert_eq!(t.goods, m(3790));
        assert_eq!(t.total, m(4285));
        // Fee share at 9%: 495 × 2495/3790 = 325.86 → 326; at 21%: 169.
        assert_eq!(
            t.vat[0],
            VatLine {
                rate: VatRate::Reduced,
                gross: m(2821),
                vat: m(233)
            }
        );
        assert_eq!(
            t.vat[1],
            VatLine {
                rate: VatRate::Standard,
                gross: m(1464),
                vat: m(254)
            }
        );
        let gross: i64 = t.vat.iter().map(|v| v.gross.cents()).sum();
        assert_eq!(gross, t.total.cents(), "every cent is taxed exactly once");
    }

    #[test]
    fn an_order_of_one_rate_carries_its_whole_fee_at_that_rate() {
        let t = totals(&[(VatRate::Reduced, m(3495))], m(495)).unwrap();
        assert_eq!(
            t.vat,
            vec![VatLine {
                rate: VatRate::Reduced,
                gross: m(3990),
                vat: m(329)
            }]
        );
        let pickup = totals(&[(VatRate::Standard, m(1295))], Money::ZERO).unwrap();
        assert_eq!(pickup.vat.len(), 1);
        assert_eq!(pickup.total, m(1295));
        assert_eq!(pickup.vat[0].net(), m(1070));
    }

    #[test]
    fn amounts_too_large_to_add_are_refused() {
        assert_eq!(
            totals(
                &[(VatRate::Reduced, m(i64::MAX)), (VatRate::Reduced, m(1))],
                Money::ZERO
            ),
            Err(PriceOverflow)
        );
    }
}
