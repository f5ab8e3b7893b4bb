//! The checkout form: what a guest fills in, and its validation into domain values. Only what
//! delivery needs is asked (P3); the page says next to each field why it is asked (P1).

use chrono::NaiveDate;
use serde::Deserialize;

use crate::delivery::service::DeliveryPlan;
use crate::domain::{DutchPostcode, Email, PhoneNumber, Text};
use crate::money::Money;

/// Longest card message, in characters (stated on the form).
pub const CARD_MESSAGE_MAX: usize = 250;
/// Longest delivery instructions, in characters.
pub const INSTRUCTIONS_MAX: usize = 300;
const NAME_MAX: usize = 100;
const STREET_MAX: usize = 120;
const CITY_MAX: usize = 80;

/// The form as sent (every field as typed, so it can be shown again).
#[derive(Clone, Default, Deserialize)]
#[serde(default)]
pub struct CheckoutForm {
    pub sender_name: String,
    pub sender_email: String,
    pub sender_phone: String,
    /// `delivery` or `pickup`.
    pub fulfilment: String,
    pub recipient_name: String,
    pub recipient_street: String,
    pub recipient_postcode: String,
    pub recipient_city: String,
    pub recipient_phone: String,
    pub card_message: String,
    /// Present (`on`) when the card is to be anonymous.
    pub card_anonymous: Option<String>,
    pub delivery_instructions: String,
    /// `neighbour`, `mailbox` or `return`.
    pub not_home: String,
    /// `YYYY-MM-DD`.
    pub delivery_date: String,
    /// The idempotency key of this checkout (set on the overview).
    pub checkout_token: String,
    /// The total the overview showed, in cents (to notice a price change before paying).
    pub expected_total: String,
    /// Which button was pressed on the overview (`edit` or `place`).
    pub action: String,
    /// `account` to pay on account (approved companies), otherwise online.
    pub payment_method: String,
    /// The company's purchase-order number or cost centre (optional).
    pub po_number: String,
    /// Present (`on`) when the sender ticked the (unticked by default) newsletter box (P2).
    pub newsletter: Option<String>,
    /// The version of the box's wording that was shown.
    pub newsletter_version: String,
}

impl CheckoutForm {
    /// A fresh form: delivery, "leave with the neighbours".
    pub fn fresh() -> CheckoutForm {
        CheckoutForm {
            fulfilment: "delivery".into(),
            not_home: "neighbour".into(),
            ..CheckoutForm::default()
        }
    }

    /// Whether paying on account was chosen.
    pub fn on_account(&self) -> bool {
        self.payment_method == "account"
    }

    /// Whether the anonymous box is ticked.
    pub fn is_anonymous(&self) -> bool {
        self.card_anonymous.is_some()
    }

    /// Whether the sender asked for the newsletter.
    pub fn wants_newsletter(&self) -> bool {
        self.newsletter.as_deref() == Some("on")
    }
}

/// The person ordering.
#[derive(Debug, Clone)]
pub struct Sender {
    pub name: Text,
    pub email: Email,
    pub phone: Option<PhoneNumber>,
}

/// Who receives a delivery, and where.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub name: Text,
    pub street: Text,
    pub postcode: DutchPostcode,
    pub city: Text,
    pub phone: Option<PhoneNumber>,
}

/// What the courier does when nobody opens the door.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotHome {
    /// Leave it with the neighbours.
    Neighbour,
    /// Put a card through the door and take the flowers back.
    CardThroughDoor,
    /// Bring it back to the shop for pickup.
    ReturnToShop,
}

impl NotHome {
    /// Parses the form value.
    pub fn parse(s: &str) -> Option<NotHome> {
        match s {
            "neighbour" => Some(NotHome::Neighbour),
            "card" => Some(NotHome::CardThroughDoor),
            "return" => Some(NotHome::ReturnToShop),
            _ => None,
        }
    }

    /// The stored text form (the same as the form value).
    pub fn as_str(self) -> &'static str {
        match self {
            NotHome::Neighbour => "neighbour",
            NotHome::CardThroughDoor => "card",
            NotHome::ReturnToShop => "return",
        }
    }

    /// Catalogue key of its description.
    pub fn label_key(self) -> &'static str {
        match self {
            NotHome::Neighbour => "checkout-not-home-neighbour",
            NotHome::CardThroughDoor => "checkout-not-home-card",
            NotHome::ReturnToShop => "checkout-not-home-return",
        }
    }
}

/// Delivery to an address, or pickup in the shop.
#[derive(Debug, Clone)]
pub enum Fulfilment {
    /// Delivered by the shop's courier.
    Delivery {
        recipient: Recipient,
        instructions: Option<Text>,
        not_home: NotHome,
        zone: String,
        fee: Money,
    },
    /// Picked up in the shop.
    Pickup,
}

/// A valid checkout.
#[derive(Debug, Clone)]
pub struct Checkout {
    pub sender: Sender,
    pub fulfilment: Fulfilment,
    pub card_message: Option<Text>,
    pub card_anonymous: bool,
    pub date: NaiveDate,
}

impl Checkout {
    /// The delivery fee (zero for pickup).
    pub fn fee(&self) -> Money {
        match &self.fulfilment {
            Fulfilment::Delivery { fee, .. } => *fee,
            Fulfilment::Pickup => Money::ZERO,
        }
    }
}

pub use crate::domain::FieldErrors;

fn text(
    errors: &mut FieldErrors,
    field: &'static str,
    value: &str,
    max: usize,
    required: bool,
) -> Option<Text> {
    let parsed = if required {
        Text::required(value, max).map(Some)
    } else {
        Text::optional(value, max)
    };
    parsed
        .map_err(|e| errors.insert(field, e.message_key()))
        .ok()
        .flatten()
}

fn phone(errors: &mut FieldErrors, field: &'static str, value: &str) -> Option<PhoneNumber> {
    if value.trim().is_empty() {
        return None;
    }
    let parsed = PhoneNumber::parse(value);
    if parsed.is_none() {
        errors.insert(field, "checkout-error-phone");
    }
    parsed
}

/// Checks every field on the server; all problems are reported at once.
pub fn validate(
    form: &CheckoutForm,
    plan: &DeliveryPlan,
    lead_time_days: u32,
) -> Result<Checkout, FieldErrors> {
    validate_for(form, plan, lead_time_days, None)
}

/// [`validate`] for an order that holds a place on `booked` already: keeping that date is
/// always right (it may be past its cut-off by now); another date must be offered as at
/// checkout.
pub fn validate_for(
    form: &CheckoutForm,
    plan: &DeliveryPlan,
    lead_time_days: u32,
    booked: Option<NaiveDate>,
) -> Result<Checkout, FieldErrors> {
    let mut errors = FieldErrors::new();
    let sender_name = text(
        &mut errors,
        "sender_name",
        &form.sender_name,
        NAME_MAX,
        true,
    );
    let sender_email = Email::parse(&form.sender_email);
    if sender_email.is_none() {
        errors.insert("sender_email", "checkout-error-email");
    }
    let sender_phone = phone(&mut errors, "sender_phone", &form.sender_phone);
    let card_message = text(
        &mut errors,
        "card_message",
        &form.card_message,
        CARD_MESSAGE_MAX,
        false,
    );

    let fulfilment = match form.fulfilment.as_str() {
        "pickup" => Some(Fulfilment::Pickup),
        "delivery" => delivery(form, plan, &mut errors),
        _ => {
            errors.insert("fulfilment", "checkout-error-fulfilment");
            None
        }
    };

    let date = match NaiveDate::parse_from_str(form.delivery_date.trim(), "%Y-%m-%d") {
        Ok(date) if Some(date) == booked => Some(date),
        Ok(date) => match plan.check(lead_time_days, date) {
            Ok(()) => Some(date),
            Err(refusal) => {
                errors.insert("delivery_date", refusal.message_key());
                None
            }
        },
        Err(_) => {
            errors.insert("delivery_date", "checkout-error-date");
            None
        }
    };

    match (sender_name, sender_email, fulfilment, date) {
        (Some(name), Some(email), Some(fulfilment), Some(date)) if errors.is_empty() => {
            Ok(Checkout {
                sender: Sender {
                    name,
                    email,
                    phone: sender_phone,
                },
                fulfilment,
                card_message,
                card_anonymous: form.is_anonymous(),
                date,
            })
        }
        _ => Err(errors),
    }
}

fn delivery(
    form: &CheckoutForm,
    plan: &DeliveryPlan,
    errors: &mut FieldErrors,
) -> Option<Fulfilment> {
    let name = text(
        errors,
        "recipient_name",
        &form.recipient_name,
        NAME_MAX,
        true,
    );
    let street = text(
        errors,
        "recipient_street",
        &form.recipient_street,
        STREET_MAX,
        true,
    );
    let city = text(
        errors,
        "recipient_city",
        &form.recipient_city,
        CITY_MAX,
        true,
    );
    let recipient_phone = phone(errors, "recipient_phone", &form.recipient_phone);
    let instructions = text(
        errors,
        "delivery_instructions",
        &form.delivery_instructions,
        INSTRUCTIONS_MAX,
        false,
    );
    let not_home = NotHome::parse(&form.not_home);
    if not_home.is_none() {
        errors.insert("not_home", "checkout-error-not-home");
    }
    let zone = match DutchPostcode::parse(&form.recipient_postcode) {
        Ok(postcode) => match plan.zone(&postcode) {
            Some(zone) => Some((postcode, zone.name.clone(), zone.fee)),
            None => {
                errors.insert("recipient_postcode", "checkout-error-postcode-zone");
                None
            }
        },
        Err(_) => {
            errors.insert("recipient_postcode", "checkout-error-postcode");
            None
        }
    };
    let (Some(name), Some(street), Some(city), Some(not_home), Some((postcode, zone, fee))) =
        (name, street, city, not_home, zone)
    else {
        return None;
    };
    Some(Fulfilment::Delivery {
        recipient: Recipient {
            name,
            street,
            postcode,
            city,
            phone: recipient_phone,
        },
        instructions,
        not_home,
        zone,
        fee,
    })
}
