//! The letters of the request desk (P16–P18), by e-mail in the requester's language: the
//! confirmation link that checks their identity, the notice that a request takes longer (with
//! the reason and the new date), and the outcome. The notice and the outcome name the
//! Autoriteit Persoonsgegevens, where the requester may complain (P18).

use askama::Template;
use chrono::NaiveDate;

use super::requests::Request;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::mail::messages::{MailContext, Rendered};

/// A letter as the templates need it.
pub struct Letter {
    /// Its language.
    pub lang: Lang,
    /// "Dear Ans,".
    pub greeting: String,
    /// Paragraphs, in order.
    pub paragraphs: Vec<String>,
    /// A button-like link: its text and address.
    pub link: Option<(String, String)>,
    /// Where to complain (P18): the sentence and the authority's address.
    pub authority: Option<(String, String)>,
    /// The shop's name.
    pub shop_name: String,
}

/// Plain-text body.
#[derive(Template)]
#[template(path = "mail/privacy_letter.txt")]
pub struct LetterText<'a> {
    /// The letter.
    pub m: &'a Letter,
}

/// HTML body.
#[derive(Template)]
#[template(path = "mail/privacy_letter.html")]
pub struct LetterHtml<'a> {
    /// The letter.
    pub m: &'a Letter,
}

/// A date with its year: "vrijdag 1 januari 2027".
pub fn full_date(lang: Lang, date: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{} {}", lang.date(date), date.year())
}

/// "your request for a copy of your data of 4 December".
fn about(lang: Lang, request: &Request) -> String {
    lang.t_args(
        "request-letter-about",
        &[
            ("kind", lang.t(kind_key(request)).into_owned()),
            ("date", full_date(lang, request.received_on)),
        ],
    )
}

/// Catalogue key of the kind as a phrase ("een kopie van je gegevens").
pub fn kind_key(request: &Request) -> String {
    format!("request-kind-{}", request.kind().as_str())
}

fn render(
    ctx: &MailContext,
    lang: Lang,
    request: &Request,
    subject_key: &str,
    paragraphs: Vec<String>,
    link: Option<(String, String)>,
    authority: bool,
) -> Result<Rendered, AppError> {
    let letter = Letter {
        lang,
        greeting: lang.t_args("mail-greeting", &[("name", request.requester_name.clone())]),
        paragraphs,
        link,
        authority: authority.then(|| {
            (
                lang.t("privacy-authority-text").into_owned(),
                lang.t("privacy-authority-url").into_owned(),
            )
        }),
        shop_name: ctx.shop_name.clone(),
    };
    Ok(Rendered {
        to: request.requester_email.clone(),
        subject: lang.t_args(
            subject_key,
            &[
                ("shop", ctx.shop_name.clone()),
                ("number", request.id.to_string()),
            ],
        ),
        text: LetterText { m: &letter }.render()?,
        html: LetterHtml { m: &letter }.render()?,
    })
}

/// The link that confirms the requester is who they say.
pub fn confirm_link(
    ctx: &MailContext,
    lang: Lang,
    request: &Request,
    url: &str,
) -> Result<Rendered, AppError> {
    let paragraphs = vec![
        lang.t_args("request-confirm-intro", &[("about", about(lang, request))]),
        lang.t_args(
            "request-confirm-note",
            &[("days", super::requests::LINK_DAYS.to_string())],
        ),
    ];
    let link = Some((
        lang.t("request-confirm-action").into_owned(),
        url.to_owned(),
    ));
    render(
        ctx,
        lang,
        request,
        "request-confirm-subject",
        paragraphs,
        link,
        false,
    )
}

/// The notice that a request takes longer.
pub fn extension(
    ctx: &MailContext,
    lang: Lang,
    request: &Request,
    reason: &str,
    due: NaiveDate,
) -> Result<Rendered, AppError> {
    let paragraphs = vec![
        lang.t_args(
            "request-extension-intro",
            &[("about", about(lang, request))],
        ),
        reason.to_owned(),
        lang.t_args("request-extension-date", &[("date", full_date(lang, due))]),
    ];
    render(
        ctx,
        lang,
        request,
        "request-extension-subject",
        paragraphs,
        None,
        true,
    )
}

/// The outcome: what was done, or why not.
pub fn outcome(
    ctx: &MailContext,
    lang: Lang,
    request: &Request,
    done: bool,
    outcome: &str,
) -> Result<Rendered, AppError> {
    let intro = if done {
        "request-outcome-done"
    } else {
        "request-outcome-refused"
    };
    let paragraphs = vec![
        lang.t_args(intro, &[("about", about(lang, request))]),
        outcome.to_owned(),
    ];
    render(
        ctx,
        lang,
        request,
        "request-outcome-subject",
        paragraphs,
        None,
        true,
    )
}

/// The link to a copy of the requester's data (an access or portability request).
pub fn download_link(
    ctx: &MailContext,
    lang: Lang,
    request: &Request,
    url: &str,
    until: NaiveDate,
) -> Result<Rendered, AppError> {
    let paragraphs = vec![
        lang.t_args("request-download-intro", &[("about", about(lang, request))]),
        lang.t_args("request-download-note", &[("date", full_date(lang, until))]),
    ];
    let link = Some((
        lang.t("request-download-action").into_owned(),
        url.to_owned(),
    ));
    render(
        ctx,
        lang,
        request,
        "request-download-subject",
        paragraphs,
        link,
        true,
    )
}
