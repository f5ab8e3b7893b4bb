//! Delivery zones: ranges of four-digit postcode areas, each with its delivery fee.

use crate::domain::DutchPostcode;
use crate::money::Money;

/// A delivery zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    /// Name shown to staff and customers (e.g. "Purmerend").
    pub name: String,
    /// First postcode area in the zone (inclusive).
    pub from: u16,
    /// Last postcode area in the zone (inclusive).
    pub to: u16,
    /// Delivery fee, VAT included.
    pub fee: Money,
}

/// The zone a postcode lies in; the first match wins when zones overlap. `None`: the shop does
/// not deliver there (checkout then offers pickup).
pub fn zone_for<'a>(zones: &'a [Zone], postcode: &DutchPostcode) -> Option<&'a Zone> {
    zones
        .iter()
        .find(|z| (z.from..=z.to).contains(&postcode.area()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zones() -> Vec<Zone> {
        vec![
            Zone {
                name: "Purmerend".into(),
                from: 1440,
                to: 1448,
                fee: Money::from_cents(495),
            },
            Zone {
                name: "Zaanstreek".into(),
                from: 1500,
                to: 1509,
                fee: Money::from_cents(795),
            },
        ]
    }

    #[test]
    fn a_postcode_finds_its_zone_and_fee_at_both_ends_of_the_range() {
        let zones = zones();
        for (code, fee) in [
            ("1440 AA", 495),
            ("1448 ZZ", 495),
            ("1500 AB", 795),
            ("1509 XY", 795),
        ] {
            let zone = zone_for(&zones, &DutchPostcode::parse(code).unwrap()).unwrap();
            assert_eq!(zone.fee, Money::from_cents(fee), "{code}");
        }
    }

    #[test]
    fn a_postcode_outside_every_zone_has_no_zone() {
        let zones = zones();
        for code in ["1439 ZZ", "1449 AA", "1012 JS", "9999 ZZ"] {
            assert_eq!(
                zone_for(&zones, &DutchPostcode::parse(code).unwrap()),
                None,
                "{code}"
            );
        }
    }
}
