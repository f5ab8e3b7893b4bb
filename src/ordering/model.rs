//! Order domain types.

/// Where an order is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderStatus {
    /// Placed, place on the date held, waiting for the payment.
    AwaitingPayment,
    /// Paid; waiting for the florist.
    Confirmed,
    /// Being made.
    InProduction,
    /// Made, waiting for the courier or the customer.
    Ready,
    /// With the courier.
    OutForDelivery,
    /// Handed to the recipient.
    Delivered,
    /// Left with the neighbours.
    WithNeighbour,
    /// Nobody home: a card was left.
    CardLeft,
    /// Nobody home: brought back to the shop.
    ReturnedToShop,
    /// Cancelled before production.
    Cancelled,
    /// The payment failed or was cancelled; the place was given back.
    PaymentFailed,
    /// Not paid in time; the place was given back.
    Expired,
}

impl OrderStatus {
    /// Every status.
    pub const ALL: [OrderStatus; 12] = [
        OrderStatus::AwaitingPayment,
        OrderStatus::Confirmed,
        OrderStatus::InProduction,
        OrderStatus::Ready,
        OrderStatus::OutForDelivery,
        OrderStatus::Delivered,
        OrderStatus::WithNeighbour,
        OrderStatus::CardLeft,
        OrderStatus::ReturnedToShop,
        OrderStatus::Cancelled,
        OrderStatus::PaymentFailed,
        OrderStatus::Expired,
    ];

    /// The stored text form.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::AwaitingPayment => "awaiting_payment",
            OrderStatus::Confirmed => "confirmed",
            OrderStatus::InProduction => "in_production",
            OrderStatus::Ready => "ready",
            OrderStatus::OutForDelivery => "out_for_delivery",
            OrderStatus::Delivered => "delivered",
            OrderStatus::WithNeighbour => "with_neighbour",
            OrderStatus::CardLeft => "card_left",
            OrderStatus::ReturnedToShop => "returned_to_shop",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::PaymentFailed => "payment_failed",
            OrderStatus::Expired => "expired",
        }
    }

    /// Parses the stored text form.
    pub fn parse(s: &str) -> Option<OrderStatus> {
        OrderStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
    }

    /// Catalogue key of the status as customers read it.
    pub fn label_key(self) -> &'static str {
        match self {
            OrderStatus::AwaitingPayment => "order-status-awaiting-payment",
            OrderStatus::Confirmed => "order-status-confirmed",
            OrderStatus::InProduction => "order-status-in-production",
            OrderStatus::Ready => "order-status-ready",
            OrderStatus::OutForDelivery => "order-status-out-for-delivery",
            OrderStatus::Delivered => "order-status-delivered",
            OrderStatus::WithNeighbour => "order-status-with-neighbour",
            OrderStatus::CardLeft => "order-status-card-left",
            OrderStatus::ReturnedToShop => "order-status-returned-to-shop",
            OrderStatus::Cancelled => "order-status-cancelled",
            OrderStatus::PaymentFailed => "order-status-payment-failed",
            OrderStatus::Expired => "order-status-expired",
        }
    }

    /// Whether the order holds a place on its delivery date.
    pub fn holds_place(self) -> bool {
        !matches!(
            self,
            OrderStatus::Cancelled | OrderStatus::PaymentFailed | OrderStatus::Expired
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_reads_back_from_its_stored_form() {
        for status in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(OrderStatus::parse("lost"), None);
    }
}
