//! What someone can consent to and where they said so (P2). Plain values: the consent ledger
//! in `privacy` records them, and the checkout, the cookie banner and the staff pages name them.

use crate::error::AppError;

/// What someone can consent to, each a separate, unticked choice (P2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ConsentPurpose {
    /// The newsletter by e-mail (P8).
    Newsletter,
    /// Personalised offers chosen at group level from what someone bought (P8).
    Profiling,
    /// Advertisers' tracking cookies (P12).
    AdCookies,
    /// Reminder mails before saved occasions.
    Reminders,
}

impl ConsentPurpose {
    /// Every purpose, in the order pages show them.
    pub const ALL: [ConsentPurpose; 4] = [
        ConsentPurpose::Newsletter,
        ConsentPurpose::Profiling,
        ConsentPurpose::Reminders,
        ConsentPurpose::AdCookies,
    ];

    /// Stored and posted name.
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentPurpose::Newsletter => "newsletter",
            ConsentPurpose::Profiling => "profiling",
            ConsentPurpose::AdCookies => "ad_cookies",
            ConsentPurpose::Reminders => "reminders",
        }
    }

    /// Parses a stored or posted name; anything else is `None`.
    pub fn parse(text: &str) -> Option<ConsentPurpose> {
        ConsentPurpose::ALL.into_iter().find(|p| p.as_str() == text)
    }

    /// The version of the wording shown now. Raise it when the wording in the catalogues
    /// changes: consent given to an older wording is then asked again where it matters.
    pub fn current_version(self) -> i32 {
        1
    }

    /// Catalogue key of the wording of `version` (each version keeps its own text, so the
    /// ledger can show what was agreed to).
    pub fn wording_key(self, version: i32) -> String {
        format!("consent-{}-v{version}", self.as_str().replace('_', "-"))
    }

    /// Catalogue key of the purpose's short name.
    pub fn name_key(self) -> String {
        format!("consent-{}-name", self.as_str().replace('_', "-"))
    }

    /// Checks a posted purpose and wording version: both must be known, and the version must be
    /// the one shown now (a tampered or stale form is refused, nothing recorded).
    pub fn from_form(purpose: &str, version: &str) -> Result<(ConsentPurpose, i32), AppError> {
        let purpose =
            ConsentPurpose::parse(purpose).ok_or(AppError::BadRequest("error-consent-unknown"))?;
        let version: i32 = version
            .trim()
            .parse()
            .map_err(|_| AppError::BadRequest("error-consent-unknown"))?;
        if version != purpose.current_version() {
            return Err(AppError::BadRequest("error-consent-stale"));
        }
        Ok((purpose, version))
    }
}

/// Where a consent was given or withdrawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentSource {
    /// The checkout form.
    Checkout,
    /// The account's privacy choices.
    Account,
    /// The newsletter form in the footer.
    Footer,
    /// The cookie banner or cookie settings.
    Banner,
    /// A link in an e-mail (confirm or unsubscribe).
    Email,
    /// Staff, on the customer's request by phone or letter.
    Staff,
}

impl ConsentSource {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentSource::Checkout => "checkout",
            ConsentSource::Account => "account",
            ConsentSource::Footer => "footer",
            ConsentSource::Banner => "banner",
            ConsentSource::Email => "email",
            ConsentSource::Staff => "staff",
        }
    }

    /// Parses a stored name.
    pub fn parse(text: &str) -> Option<ConsentSource> {
        [
            ConsentSource::Checkout,
            ConsentSource::Account,
            ConsentSource::Footer,
            ConsentSource::Banner,
            ConsentSource::Email,
            ConsentSource::Staff,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}
