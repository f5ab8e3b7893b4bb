//! What an order is, as the rest of ordering speaks of it. The status itself is a domain value
//! (accounts, business and staff show it too), so it lives in `domain` and is named here.

pub use crate::domain::OrderStatus;
