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

/// The owner's form for a zone, as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ZoneForm {
    /// Name.
    #[serde(default)]
    pub name: String,
    /// First four-digit postcode area.
    #[serde(default)]
    pub from: String,
    /// Last four-digit postcode area.
    #[serde(default)]
    pub to: String,
    /// Fee in euros as typed (`4,95`).
    #[serde(default)]
    pub fee: String,
}

/// The longest zone name.
pub const ZONE_NAME_MAX: usize = 60;

impl ZoneForm {
    /// The form filled in from a zone.
    pub fn of(zone: &Zone, lang: crate::i18n::Lang) -> ZoneForm {
        ZoneForm {
            name: zone.name.clone(),
            from: zone.from.to_string(),
            to: zone.to.to_string(),
            fee: zone.fee.plain(lang),
        }
    }

    /// The zone the form describes, checked against the other zones (`others`: every zone
    /// except the one being changed), or what to fix per field.
    pub fn parse(&self, others: &[Zone]) -> Result<Zone, crate::domain::FieldErrors> {
        let mut errors = crate::domain::FieldErrors::new();
        let name = self.name.trim().to_owned();
        if name.is_empty() {
            errors.insert("name", "zone-error-name");
        } else if name.chars().count() > ZONE_NAME_MAX {
            errors.insert("name", "zone-error-name-long");
        }
        let area = |text: &str| {
            text.trim()
                .parse::<u16>()
                .ok()
                .filter(|n| (1000..=9999).contains(n))
        };
        let from = area(&self.from);
        let to = area(&self.to);
        if from.is_none() {
            errors.insert("from", "zone-error-area");
        }
        if to.is_none() {
            errors.insert("to", "zone-error-area");
        }
        let fee = Money::parse_euros(&self.fee)
            .map_err(|e| errors.insert("fee", e.message_key()))
            .ok();
        let (Some(from), Some(to), Some(fee)) = (from, to, fee) else {
            return Err(errors);
        };
        if from > to {
            errors.insert("to", "zone-error-order");
        } else if others.iter().any(|z| from <= z.to && z.from <= to) {
            errors.insert("from", "zone-error-overlap");
        }
        if errors.is_empty() {
            Ok(Zone {
                name,
                from,
                to,
                fee,
            })
        } else {
            Err(errors)
        }
    }
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

    fn form(name: &str, from: &str, to: &str, fee: &str) -> ZoneForm {
        ZoneForm {
            name: name.into(),
            from: from.into(),
            to: to.into(),
            fee: fee.into(),
        }
    }

    #[test]
    fn a_new_zone_may_not_overlap_another_and_needs_a_sensible_range_and_fee() {
        let zones = zones();
        let overlap = form("Ilpendam", "1446", "1452", "3,50")
            .parse(&zones)
            .unwrap_err();
        assert_eq!(overlap.get("from"), Some(&"zone-error-overlap"));
        let backwards = form("X", "1460", "1450", "1").parse(&zones).unwrap_err();
        assert_eq!(backwards.get("to"), Some(&"zone-error-order"));
        let bad = form("", "999", "abc", "-2").parse(&zones).unwrap_err();
        assert_eq!(bad.len(), 4, "{bad:?}");
        let zone = form(" Ilpendam ", "1449", "1452", "3,50")
            .parse(&zones)
            .unwrap();
        assert_eq!(
            (zone.name.as_str(), zone.from, zone.to),
            ("Ilpendam", 1449, 1452)
        );
        assert_eq!(zone.fee, Money::from_cents(350));
    }
}
