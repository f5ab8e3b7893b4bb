//! The account e-mails: each is a greeting, a sentence saying why it was sent, one link and a
//! note on how long it works, so one text + HTML template pair serves them all.

use askama::Template;

use crate::error::AppError;
use crate::i18n::Lang;
use crate::mail::messages::{MailContext, Rendered};

/// Which account e-mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// Confirm the address of a new account.
    Verify,
    /// Someone registered with an address that has an account already.
    AlreadyRegistered,
    /// Choose a new password.
    Reset,
    /// Confirm a new address.
    ChangeEmail,
    /// Join a company account.
    Invitation,
    /// A monthly invoice is ready.
    Invoice,
    /// Confirm a newsletter sign-up (double opt-in).
    Newsletter,
    /// A saved occasion is coming up.
    Reminder,
    /// The account has been erased.
    Erased,
    /// The account has not been used for two years and will be erased unless its owner logs in.
    Inactive,
    /// The account was erased after two years without activity (and a warning).
    InactiveErased,
}

impl LinkKind {
    fn key(self) -> &'static str {
        match self {
            LinkKind::Verify => "verify",
            LinkKind::AlreadyRegistered => "known",
            LinkKind::Reset => "reset",
            LinkKind::ChangeEmail => "email",
            LinkKind::Invitation => "invite",
            LinkKind::Invoice => "invoice",
            LinkKind::Newsletter => "newsletter",
            LinkKind::Reminder => "reminder",
            LinkKind::Erased => "erased",
            LinkKind::Inactive => "inactive",
            LinkKind::InactiveErased => "inactive-erased",
        }
    }
}

/// One account e-mail in the recipient's language.
pub struct LinkMail {
    pub lang: Lang,
    pub shop_name: String,
    pub greeting: String,
    pub intro: String,
    pub action: String,
    pub url: String,
    pub note: String,
    /// A marketing mail's opt-out: the sentence and its link (P11).
    pub opt_out: Option<(String, String)>,
}

/// Plain-text body.
#[derive(Template)]
#[template(path = "mail/account_link.txt")]
pub struct LinkText<'a> {
    /// The message.
    pub m: &'a LinkMail,
}

/// HTML body.
#[derive(Template)]
#[template(path = "mail/account_link.html")]
pub struct LinkHtml<'a> {
    /// The message.
    pub m: &'a LinkMail,
}

/// Renders an account e-mail to `to`, greeting `name`, with the link `url`.
pub fn link(
    ctx: &MailContext,
    lang: Lang,
    to: &str,
    name: &str,
    kind: LinkKind,
    url: &str,
) -> Result<Rendered, AppError> {
    link_with(ctx, lang, to, name, kind, url, Details::default())
}

/// What some account e-mails carry besides the link.
#[derive(Default)]
pub struct Details<'a> {
    /// More arguments for the texts (an occasion's name and date).
    pub args: &'a [(&'static str, String)],
    /// For a marketing mail, the link that stops it (`mail-<kind>-opt-out` is its sentence).
    pub opt_out: Option<&'a str>,
}

/// [`link`] with [`Details`].
pub fn link_with(
    ctx: &MailContext,
    lang: Lang,
    to: &str,
    name: &str,
    kind: LinkKind,
    url: &str,
    details: Details<'_>,
) -> Result<Rendered, AppError> {
    let Details {
        args: extra,
        opt_out,
    } = details;
    let key = kind.key();
    let mut args = vec![("shop", ctx.shop_name.clone()), ("name", name.to_owned())];
    args.extend(extra.iter().cloned());
    let message = LinkMail {
        lang,
        shop_name: ctx.shop_name.clone(),
        // An invitation names the colleague who sent it; the invitee may have no name here yet.
        greeting: if matches!(kind, LinkKind::Invitation | LinkKind::Newsletter) || name.is_empty()
        {
            lang.t("mail-greeting-plain").into_owned()
        } else {
            lang.t_args("mail-greeting", &[("name", name.to_owned())])
        },
        intro: lang.t_args(&format!("mail-{key}-intro"), &args),
        action: lang.t(format!("mail-{key}-action")).into_owned(),
        url: url.to_owned(),
        note: lang.t(format!("mail-{key}-note")).into_owned(),
        opt_out: opt_out.map(|link| {
            (
                lang.t(format!("mail-{key}-opt-out")).into_owned(),
                link.to_owned(),
            )
        }),
    };
    Ok(Rendered {
        to: to.to_owned(),
        subject: lang.t_args(&format!("mail-{key}-subject"), &args),
        text: LinkText { m: &message }.render()?,
        html: LinkHtml { m: &message }.render()?,
    })
}

/// Every catalogue key the account e-mails use (checked by the i18n tests).
pub fn catalogue_keys() -> Vec<String> {
    let kinds = [
        LinkKind::Verify,
        LinkKind::AlreadyRegistered,
        LinkKind::Reset,
        LinkKind::ChangeEmail,
        LinkKind::Invitation,
        LinkKind::Invoice,
        LinkKind::Newsletter,
        LinkKind::Reminder,
        LinkKind::Erased,
        LinkKind::Inactive,
        LinkKind::InactiveErased,
    ];
    kinds
        .iter()
        .flat_map(|k| {
            ["subject", "intro", "action", "note"].map(|part| format!("mail-{}-{part}", k.key()))
        })
        .chain(["mail-reminder-opt-out".to_owned()])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_account_mail_has_its_texts_in_both_languages() {
        let nl = crate::i18n::keys(crate::i18n::NL_FTL);
        let en = crate::i18n::keys(crate::i18n::EN_FTL);
        for key in catalogue_keys() {
            assert!(nl.contains(&key), "nl lacks {key}");
            assert!(en.contains(&key), "en lacks {key}");
        }
    }

    #[test]
    fn the_erasure_confirmation_says_where_to_complain_in_both_languages() {
        let ctx = MailContext {
            public_url: "https://bloei.example".into(),
            shop_name: "Bloei".into(),
        };
        for (lang, url) in [
            (Lang::Nl, "https://www.autoriteitpersoonsgegevens.nl/"),
            (Lang::En, "https://www.autoriteitpersoonsgegevens.nl/en"),
        ] {
            let mail = link(&ctx, lang, "a@example.nl", "Ans", LinkKind::Erased, "/").unwrap();
            assert!(
                mail.text.contains("Autoriteit Persoonsgegevens"),
                "{}",
                mail.text
            );
            assert!(mail.text.contains(url), "{}", mail.text);
        }
    }
}
