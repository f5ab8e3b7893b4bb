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

    /// Catalogue key of the status in staff's own words ("Te maken", "Klaar"); a pickup order
    /// handed over is "Opgehaald", not "Bezorgd".
    pub fn staff_label_key(self, delivery: bool) -> &'static str {
        match self {
            OrderStatus::AwaitingPayment => "staff-status-awaiting-payment",
            OrderStatus::Confirmed => "staff-status-to-make",
            OrderStatus::InProduction => "staff-status-in-production",
            OrderStatus::Ready => "staff-status-ready",
            OrderStatus::OutForDelivery => "staff-status-out",
            OrderStatus::Delivered if delivery => "staff-status-delivered",
            OrderStatus::Delivered => "staff-status-picked-up",
            OrderStatus::WithNeighbour => "staff-status-with-neighbour",
            OrderStatus::CardLeft => "staff-status-card-left",
            OrderStatus::ReturnedToShop => "staff-status-returned",
            OrderStatus::Cancelled => "staff-status-cancelled",
            OrderStatus::PaymentFailed => "staff-status-payment-failed",
            OrderStatus::Expired => "staff-status-expired",
        }
    }

    /// The statuses staff may move a paid order to from this one. Cancelling is possible only
    /// before production starts; a pickup order is handed over in the shop.
    pub fn next_steps(self, delivery: bool) -> Vec<OrderStatus> {
        use OrderStatus::*;
        match self {
            Confirmed => vec![InProduction, Cancelled],
            InProduction => vec![Ready],
            Ready if delivery => vec![OutForDelivery],
            Ready => vec![Delivered],
            OutForDelivery => vec![Delivered, WithNeighbour, CardLeft, ReturnedToShop],
            ReturnedToShop => vec![Delivered],
            _ => vec![],
        }
    }

    /// Catalogue key of the staff button that moves an order to this status.
    pub fn action_key(self) -> &'static str {
        match self {
            OrderStatus::InProduction => "staff-action-in-production",
            OrderStatus::Ready => "staff-action-ready",
            OrderStatus::OutForDelivery => "staff-action-out-for-delivery",
            OrderStatus::Delivered => "staff-action-delivered",
            OrderStatus::WithNeighbour => "staff-action-with-neighbour",
            OrderStatus::CardLeft => "staff-action-card-left",
            OrderStatus::ReturnedToShop => "staff-action-returned-to-shop",
            OrderStatus::Cancelled => "staff-action-cancelled",
            _ => "staff-action-other",
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
    fn a_paid_order_moves_through_production_to_delivery_and_cancels_only_before_production() {
        use OrderStatus::*;
        assert_eq!(Confirmed.next_steps(true), vec![InProduction, Cancelled]);
        assert!(!InProduction.next_steps(true).contains(&Cancelled));
        assert_eq!(Ready.next_steps(true), vec![OutForDelivery]);
        assert_eq!(
            Ready.next_steps(false),
            vec![Delivered],
            "pickup is handed over"
        );
        assert_eq!(OutForDelivery.next_steps(true).len(), 4);
        for done in [
            Delivered,
            WithNeighbour,
            CardLeft,
            Cancelled,
            AwaitingPayment,
            Expired,
        ] {
            assert!(done.next_steps(true).is_empty(), "{done:?}");
        }
    }

    #[test]
    fn every_status_reads_back_from_its_stored_form() {
        for status in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(OrderStatus::parse("lost"), None);
    }
}
