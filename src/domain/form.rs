//! What a form shows next to its fields when the input is refused.

use std::collections::BTreeMap;

/// Field name → message-catalogue key of what to fix there. Ordered, so the summary at the top
/// of a form lists problems in a stable order.
pub type FieldErrors = BTreeMap<&'static str, &'static str>;
