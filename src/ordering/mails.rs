//! The e-mails about an order: its confirmation and each status update (P6), rendered from what
//! the database holds and queued in the caller's transaction.

use askama::Template;
use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::orders;
use crate::i18n::Lang;
use crate::mail::messages::{MailContext, Rendered};
use crate::money::Money;
use crate::ordering::refunds::Recorded;
use crate::ordering::repo as orders_repo;

/// One line of an order in a message.
pub struct MailLine {
    /// Product name.
    pub name: String,
    /// Size in words.
    pub size: String,
    /// How many.
    pub quantity: i32,
    /// Line total.
    pub total: Money,
    /// Add-on names.
    pub addons: Vec<String>,
}

/// The order confirmation: every line, the date, the recipient, VAT per rate, the status link.
pub struct Confirmation {
    pub lang: Lang,
    pub shop_name: String,
    pub sender_name: String,
    pub number: String,
    pub date: String,
    pub recipient: Option<Vec<String>>,
    pub card_message: Option<String>,
    pub lines: Vec<MailLine>,
    pub fee: Money,
    pub total: Money,
    pub vat: Vec<(String, Money)>,
    pub status_url: String,
    /// The opening sentence: paid, or on account (no payment to speak of).
    pub intro_key: &'static str,
}

impl Confirmation {
    /// A message from the catalogue in the customer's language.
    pub fn t(&self, key: &str) -> String {
        self.lang.t(key).into_owned()
    }

    /// An amount in the customer's language.
    pub fn money(&self, amount: impl Into<Money>) -> String {
        amount.into().display(self.lang)
    }

    /// The greeting line.
    pub fn greeting(&self) -> String {
        self.lang
            .t_args("mail-greeting", &[("name", self.sender_name.clone())])
    }
}

/// Plain-text body.
#[derive(Template)]
#[template(path = "mail/order_confirmation.txt")]
pub struct ConfirmationText<'a> {
    /// The message.
    pub m: &'a Confirmation,
}

/// HTML body.
#[derive(Template)]
#[template(path = "mail/order_confirmation.html")]
pub struct ConfirmationHtml<'a> {
    /// The message.
    pub m: &'a Confirmation,
}

type Facts = (
    String,
    String,
    String,
    String,
    NaiveDate,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    (i64, i64, i64, i64, i64, i64),
    String,
    bool,
);

/// The confirmation of an order, rendered from what the database holds.
pub fn confirmation(
    conn: &mut DbConn,
    order_id: i64,
    ctx: &MailContext,
) -> Result<Rendered, crate::error::AppError> {
    let (
        email,
        name,
        number,
        lang,
        date,
        r_name,
        r_street,
        r_postcode,
        r_city,
        card,
        money,
        token,
        on_account,
    ): Facts = orders::table
        .find(order_id)
        .select((
            orders::sender_email,
            orders::sender_name,
            orders::number,
            orders::lang,
            orders::delivery_date,
            orders::recipient_name,
            orders::recipient_street,
            orders::recipient_postcode,
            orders::recipient_city,
            orders::card_message,
            (
                orders::delivery_fee_cents,
                orders::total_cents,
                orders::vat_reduced_gross_cents,
                orders::vat_reduced_cents,
                orders::vat_standard_gross_cents,
                orders::vat_standard_cents,
            ),
            orders::status_token,
            orders::on_account,
        ))
        .first(conn)?;
    let lang = Lang::from_code(&lang).unwrap_or_default();
    let (fee, total, reduced_gross, reduced, standard_gross, standard) = money;
    let mut vat = Vec::new();
    for (rate, gross, amount) in [(9, reduced_gross, reduced), (21, standard_gross, standard)] {
        if gross != 0 {
            vat.push((
                lang.t_args("cart-vat-rate", &[("rate", rate.to_string())]),
                Money::from_cents(amount),
            ));
        }
    }
    let lines = orders_repo::lines_of(conn, order_id)?
        .into_iter()
        .map(|(line, addons)| MailLine {
            name: lang.pick(line.product_name_nl, line.product_name_en),
            size: crate::catalog::model::Size::parse(&line.size)
                .map(|s| lang.t(s.label_key()).into_owned())
                .unwrap_or(line.size),
            quantity: line.quantity,
            total: Money::from_cents(line.line_total_cents),
            addons: addons
                .into_iter()
                .map(|a| lang.pick(a.name_nl, a.name_en))
                .collect(),
        })
        .collect();
    let recipient = match (r_name, r_street, r_postcode, r_city) {
        (Some(n), Some(s), Some(p), Some(c)) => Some(vec![n, s, format!("{p} {c}")]),
        _ => None,
    };
    let message = Confirmation {
        lang,
        shop_name: ctx.shop_name.clone(),
        sender_name: name,
        number: number.clone(),
        date: lang.date(date),
        recipient,
        card_message: card,
        lines,
        fee: Money::from_cents(fee),
        total: Money::from_cents(total),
        vat,
        status_url: format!("{}/bestelling/{token}", ctx.public_url),
        intro_key: if on_account {
            "mail-confirmation-intro-account"
        } else {
            "mail-confirmation-intro"
        },
    };
    Ok(Rendered {
        to: email,
        subject: lang.t_args("mail-confirmation-subject", &[("number", number)]),
        text: ConfirmationText { m: &message }.render()?,
        html: ConfirmationHtml { m: &message }.render()?,
    })
}

/// A status update: what happened to the order, and the status link.
pub struct StatusUpdate {
    pub lang: Lang,
    pub shop_name: String,
    pub sender_name: String,
    pub number: String,
    pub status: String,
    pub status_url: String,
    /// What else the customer should know (a refund's amount and when to expect it).
    pub note: Option<String>,
}

impl StatusUpdate {
    /// A message from the catalogue in the customer's language.
    pub fn t(&self, key: &str) -> String {
        self.lang.t(key).into_owned()
    }

    /// The greeting line.
    pub fn greeting(&self) -> String {
        self.lang
            .t_args("mail-greeting", &[("name", self.sender_name.clone())])
    }
}

/// Plain-text body.
#[derive(Template)]
#[template(path = "mail/status_update.txt")]
pub struct StatusUpdateText<'a> {
    /// The message.
    pub m: &'a StatusUpdate,
}

/// HTML body.
#[derive(Template)]
#[template(path = "mail/status_update.html")]
pub struct StatusUpdateHtml<'a> {
    /// The message.
    pub m: &'a StatusUpdate,
}

/// The e-mail telling the sender their order reached `status` (P6).
pub fn status_update(
    conn: &mut DbConn,
    order_id: i64,
    status: crate::domain::OrderStatus,
    ctx: &MailContext,
) -> Result<Rendered, crate::error::AppError> {
    status_update_with(conn, order_id, status, None, ctx)
}

/// How many working days a refund takes to reach the customer's account (what banks and
/// Mollie say for iDEAL and cards).
pub const REFUND_WORKING_DAYS: u32 = 5;

/// The customer's language for an order's mails.
fn lang_of(conn: &mut DbConn, order_id: i64) -> QueryResult<Lang> {
    let code: String = orders::table
        .find(order_id)
        .select(orders::lang)
        .first(conn)?;
    Ok(Lang::from_code(&code).unwrap_or_default())
}

/// The sentences about money going back: how much is sent and within how many working days,
/// and how much is handed back at the counter (it was paid there).
pub fn refund_note(lang: Lang, recorded: &Recorded) -> String {
    let mut note = Vec::new();
    if recorded.online.cents() > 0 {
        note.push(lang.t_args(
            "mail-refund-note",
            &[
                ("amount", recorded.online.display(lang)),
                ("days", REFUND_WORKING_DAYS.to_string()),
            ],
        ));
    }
    if recorded.at_counter.cents() > 0 {
        note.push(lang.t_args(
            "mail-refund-counter-note",
            &[("amount", recorded.at_counter.display(lang))],
        ));
    }
    note.join(" ")
}

/// A status mail with a sentence under the status and, when given, its own subject
/// (`subject_key` takes the order number).
fn with_note(
    conn: &mut DbConn,
    order_id: i64,
    status: Status,
    note: Option<String>,
    subject_key: Option<&str>,
    ctx: &MailContext,
) -> Result<Rendered, crate::error::AppError> {
    let lang = lang_of(conn, order_id)?;
    let mut rendered = status_update_with(conn, order_id, status, note, ctx)?;
    if let Some(key) = subject_key {
        rendered.subject = lang.t_args(key, &[("number", number_of(conn, order_id)?)]);
    }
    Ok(rendered)
}

/// The e-mail about a cancelled order that was paid: the amount refunded and when to expect it.
pub fn cancelled_with_refund(
    conn: &mut DbConn,
    order_id: i64,
    refund: Option<&Recorded>,
    ctx: &MailContext,
) -> Result<Rendered, crate::error::AppError> {
    let lang = lang_of(conn, order_id)?;
    let note = refund.map(|recorded| refund_note(lang, recorded));
    let status = Status::Is(crate::domain::OrderStatus::Cancelled);
    with_note(conn, order_id, status, note, None, ctx)
}

/// What the customer hears after staff changed their order: that it changed, and what is
/// settled (a refund, or a link to pay the difference).
pub fn changed(
    conn: &mut DbConn,
    order_id: i64,
    settled: Changed,
    ctx: &MailContext,
) -> Result<Rendered, crate::error::AppError> {
    let lang = lang_of(conn, order_id)?;
    let note = match settled {
        Changed::Same => lang.t("mail-changed-note").into_owned(),
        Changed::Refund(recorded) => refund_note(lang, &recorded),
        Changed::Owed(amount, url) => lang.t_args(
            "mail-owed-note",
            &[("amount", amount.display(lang)), ("url", url)],
        ),
    };
    let subject = Some("mail-changed-subject");
    with_note(conn, order_id, Status::Changed, Some(note), subject, ctx)
}

/// The mail with the link to pay an order taken by phone.
pub fn payment_link(
    conn: &mut DbConn,
    order_id: i64,
    url: &str,
    ctx: &MailContext,
) -> Result<Rendered, crate::error::AppError> {
    let lang = lang_of(conn, order_id)?;
    let total: i64 = orders::table
        .find(order_id)
        .select(orders::total_cents)
        .first(conn)?;
    let note = lang.t_args(
        "mail-pay-link-note",
        &[
            ("amount", Money::from_cents(total).display(lang)),
            ("url", url.to_owned()),
            ("hours", super::phone::LINK_HOURS.to_string()),
        ],
    );
    let status = Status::Is(crate::domain::OrderStatus::AwaitingPayment);
    with_note(
        conn,
        order_id,
        status,
        Some(note),
        Some("mail-pay-link-subject"),
        ctx,
    )
}

/// The mail about part of an order's payment sent back: how much and when to expect it.
pub fn refunded(
    conn: &mut DbConn,
    order_id: i64,
    recorded: &Recorded,
    ctx: &MailContext,
) -> Result<Rendered, crate::error::AppError> {
    let note = refund_note(lang_of(conn, order_id)?, recorded);
    let subject = Some("mail-refund-subject");
    with_note(conn, order_id, Status::Refund, Some(note), subject, ctx)
}

/// What a change to an order settled, for its mail.
pub enum Changed {
    /// The total stayed the same.
    Same,
    /// This goes back.
    Refund(Recorded),
    /// This much more is owed, payable at this link.
    Owed(Money, String),
}

fn number_of(conn: &mut DbConn, order_id: i64) -> QueryResult<String> {
    orders::table
        .find(order_id)
        .select(orders::number)
        .first(conn)
}

/// What a status mail reports: a status, or that the order changed.
enum Status {
    Is(crate::domain::OrderStatus),
    Changed,
    Refund,
}

fn status_update_with(
    conn: &mut DbConn,
    order_id: i64,
    status: impl Into<Status>,
    note: Option<String>,
    ctx: &MailContext,
) -> Result<Rendered, crate::error::AppError> {
    let status = status.into();
    let (email, name, number, lang, token): (String, String, String, String, String) =
        orders::table
            .find(order_id)
            .select((
                orders::sender_email,
                orders::sender_name,
                orders::number,
                orders::lang,
                orders::status_token,
            ))
            .first(conn)?;
    let lang = Lang::from_code(&lang).unwrap_or_default();
    let message = StatusUpdate {
        lang,
        shop_name: ctx.shop_name.clone(),
        sender_name: name,
        number: number.clone(),
        status: match status {
            Status::Is(status) => lang.t(status.label_key()).into_owned(),
            Status::Changed => lang.t("mail-changed-status").into_owned(),
            Status::Refund => lang.t("mail-refund-status").into_owned(),
        },
        status_url: format!("{}/bestelling/{token}", ctx.public_url),
        note,
    };
    Ok(Rendered {
        to: email,
        subject: lang.t_args("mail-status-subject", &[("number", number)]),
        text: StatusUpdateText { m: &message }.render()?,
        html: StatusUpdateHtml { m: &message }.render()?,
    })
}

impl From<crate::domain::OrderStatus> for Status {
    fn from(status: crate::domain::OrderStatus) -> Status {
        Status::Is(status)
    }
}
