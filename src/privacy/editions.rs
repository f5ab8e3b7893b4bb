//! Sending a newsletter edition (P8, P11) to the current subscribers through the outbox, each in
//! their own language, every mail with its unsubscribe link and RFC 8058 one-click headers.
//! Personalised editions by interest (a category someone bought from) go only to subscribers
//! who gave the profiling consent, and only to groups of at least [`MIN_GROUP`]; everyone else,
//! and every smaller group, gets the general edition: selection at group level, and nobody is
//! left without a newsletter or kept from any product or price.

use std::collections::{BTreeMap, BTreeSet};

use askama::Template;
use diesel::prelude::*;
use serde::Deserialize;

use super::consent::{self, ConsentPurpose};
use super::newsletter::{self, Subscriber};
use crate::db::DbConn;
use crate::db::schema::{categories, order_lines, orders, products};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::mail::messages::{MailContext, Rendered};

/// The smallest group a personalised edition goes to (P8: never aimed at a few people).
pub const MIN_GROUP: usize = 20;

/// One version of the text, in both languages.
#[derive(Debug, Clone, Deserialize)]
pub struct Text {
    pub subject_nl: String,
    pub subject_en: String,
    pub body_nl: String,
    pub body_en: String,
}

/// A version for the buyers of one category.
#[derive(Debug, Clone, Deserialize)]
pub struct Interest {
    /// The category's slug.
    pub category: String,
    /// The text for this group.
    #[serde(flatten)]
    pub text: Text,
}

/// An edition, as read from a TOML file: `[general]` and any number of `[[interest]]`.
#[derive(Debug, Clone, Deserialize)]
pub struct Edition {
    pub general: Text,
    #[serde(default)]
    pub interest: Vec<Interest>,
}

/// Who got which version.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Sent {
    /// Subscribers who got the general edition.
    pub general: usize,
    /// Per category slug, subscribers who got its version.
    pub personalised: BTreeMap<String, usize>,
}

/// Assigns each subscriber the first interest (in edition order) they qualify for whose group
/// reaches `min`; `None` is the general edition.
pub fn assign(
    qualifies: &BTreeMap<i64, BTreeSet<String>>,
    subscribers: &[i64],
    interests: &[String],
    min: usize,
) -> BTreeMap<i64, Option<String>> {
    let mut chosen: BTreeMap<i64, Option<String>> =
        subscribers.iter().map(|s| (*s, None)).collect();
    for interest in interests {
        let group: Vec<i64> = subscribers
            .iter()
            .filter(|s| chosen[s].is_none())
            .filter(|s| qualifies.get(s).is_some_and(|c| c.contains(interest)))
            .copied()
            .collect();
        if group.len() >= min {
            for s in group {
                chosen.insert(s, Some(interest.clone()));
            }
        }
    }
    chosen
}

/// The categories an account bought from.
fn bought(conn: &mut DbConn, customer_id: i64) -> QueryResult<BTreeSet<String>> {
    let slugs: Vec<String> = orders::table
        .inner_join(order_lines::table.on(order_lines::order_id.eq(orders::id)))
        .inner_join(products::table.on(products::slug.eq(order_lines::product_slug)))
        .inner_join(categories::table.on(categories::id.eq(products::category_id)))
        .filter(orders::customer_id.eq(customer_id))
        .select(categories::slug)
        .distinct()
        .load(conn)?;
    Ok(slugs.into_iter().collect())
}

/// One newsletter mail.
pub struct NewsletterMail {
    pub lang: Lang,
    pub shop_name: String,
    pub subject: String,
    pub body: String,
    pub unsubscribe_text: String,
    pub unsubscribe_action: String,
    pub unsubscribe_url: String,
}

#[derive(Template)]
#[template(path = "mail/newsletter.txt")]
struct NewsletterText<'a> {
    m: &'a NewsletterMail,
}

#[derive(Template)]
#[template(path = "mail/newsletter.html")]
struct NewsletterHtml<'a> {
    m: &'a NewsletterMail,
}

fn render(ctx: &MailContext, to: &Subscriber, text: &Text) -> Result<(Rendered, String), AppError> {
    let url = newsletter::unsubscribe_url(&ctx.public_url, &to.unsubscribe_token);
    let mail = render_to(ctx, &to.email, to.language(), text, &url)?;
    Ok((mail, url))
}

/// The mail `text` makes in `lang` for `to`, with its unsubscribe link.
fn render_to(
    ctx: &MailContext,
    to: &str,
    lang: Lang,
    text: &Text,
    unsubscribe_url: &str,
) -> Result<Rendered, AppError> {
    let (subject, body) = match lang {
        Lang::En => (&text.subject_en, &text.body_en),
        _ => (&text.subject_nl, &text.body_nl),
    };
    let m = NewsletterMail {
        lang,
        shop_name: ctx.shop_name.clone(),
        subject: subject.clone(),
        body: body.trim().to_owned(),
        unsubscribe_text: lang.t("newsletter-mail-unsubscribe").into_owned(),
        unsubscribe_action: lang.t("newsletter-unsubscribe-button").into_owned(),
        unsubscribe_url: unsubscribe_url.to_owned(),
    };
    Ok(Rendered {
        to: to.to_owned(),
        subject: m.subject.clone(),
        text: NewsletterText { m: &m }.render()?,
        html: NewsletterHtml { m: &m }.render()?,
    })
}

/// The plain-text mail of `text` in `lang`, as a subscriber would read it (for the preview).
pub fn preview(ctx: &MailContext, text: &Text, lang: Lang) -> Result<String, AppError> {
    let url = format!("{}/nieuwsbrief", ctx.public_url);
    Ok(render_to(ctx, "", lang, text, &url)?.text)
}

/// Queues `text` once, in both languages, to a staff member's own address (a test: its
/// unsubscribe link points at the sign-up page, as the address is no subscriber).
pub fn send_test(
    conn: &mut DbConn,
    ctx: &MailContext,
    text: &Text,
    to: &str,
) -> Result<(), AppError> {
    let url = format!("{}/nieuwsbrief", ctx.public_url);
    conn.write_tx(|conn| {
        for lang in Lang::ALL {
            render_to(ctx, to, lang, text, &url)?.queue_with(
                conn,
                &crate::mail::repo::Extras {
                    list_unsubscribe: None,
                    erase_after_sending: true,
                },
            )?;
        }
        Ok(())
    })
}

/// How many subscribers an edition would go to now.
pub fn audience(conn: &mut DbConn) -> QueryResult<usize> {
    Ok(newsletter::active(conn)?.len())
}

/// Queues `edition` for every active subscriber, in one transaction.
pub fn send(conn: &mut DbConn, ctx: &MailContext, edition: &Edition) -> Result<Sent, AppError> {
    conn.write_tx(|conn| {
        let subscribers = newsletter::active(conn)?;
        let mut qualifies = BTreeMap::new();
        for s in &subscribers {
            let Some(customer_id) = s.customer_id else {
                continue;
            };
            if consent::current(conn, customer_id, ConsentPurpose::Profiling)? {
                qualifies.insert(s.id, bought(conn, customer_id)?);
            }
        }
        let ids: Vec<i64> = subscribers.iter().map(|s| s.id).collect();
        let interests: Vec<String> = edition
            .interest
            .iter()
            .map(|i| i.category.clone())
            .collect();
        let chosen = assign(&qualifies, &ids, &interests, MIN_GROUP);
        let mut sent = Sent::default();
        for s in &subscribers {
            let text = match chosen.get(&s.id).cloned().flatten() {
                Some(slug) => {
                    *sent.personalised.entry(slug.clone()).or_default() += 1;
                    &edition
                        .interest
                        .iter()
                        .find(|i| i.category == slug)
                        .expect("assigned from the edition's interests")
                        .text
                }
                None => {
                    sent.general += 1;
                    &edition.general
                }
            };
            let (mail, url) = render(ctx, s, text)?;
            mail.queue_with(
                conn,
                &crate::mail::repo::Extras {
                    list_unsubscribe: Some(url),
                    erase_after_sending: false,
                },
            )?;
        }
        Ok(sent)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_personalised_version_goes_only_to_groups_of_twenty_and_everyone_else_gets_the_general_one()
    {
        let subscribers: Vec<i64> = (1..=50).collect();
        let mut qualifies = BTreeMap::new();
        // 25 rose buyers with the profiling consent, 5 tulip buyers.
        for s in 1..=25 {
            qualifies.insert(s, BTreeSet::from(["rozen".to_owned()]));
        }
        for s in 26..=30 {
            qualifies.insert(s, BTreeSet::from(["tulpen".to_owned()]));
        }
        let chosen = assign(
            &qualifies,
            &subscribers,
            &["tulpen".into(), "rozen".into()],
            MIN_GROUP,
        );
        assert_eq!(chosen.len(), 50, "everyone gets a newsletter");
        assert!((1..=25).all(|s| chosen[&s].as_deref() == Some("rozen")));
        assert!(
            (26..=50).all(|s| chosen[&s].is_none()),
            "5 tulip buyers are too few"
        );
    }
}
