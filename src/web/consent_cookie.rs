//! The visitor's choice on advertisers' cookies (P12), read from its preference cookie. The page
//! frame needs it on every page (banner or not, tracking script or not); `privacy::cookies`
//! records and changes it.

use actix_web::HttpRequest;

use crate::domain::ConsentPurpose;

/// The preference cookie holding the choice: `<wording version>.<a|r>`.
pub const CONSENT_COOKIE: &str = "bloei_consent";

/// The visitor's choice on advertisers' cookies: `None` until they chose (or when the wording
/// changed since), then whether they accepted.
pub fn ads_choice(req: &HttpRequest) -> Option<bool> {
    parse(req.cookie(CONSENT_COOKIE)?.value())
}

fn parse(value: &str) -> Option<bool> {
    let (version, choice) = value.split_once('.')?;
    if version.parse::<i32>().ok()? != ConsentPurpose::AdCookies.current_version() {
        return None;
    }
    match choice {
        "a" => Some(true),
        "r" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn only_a_choice_made_on_the_current_wording_counts() {
        assert_eq!(parse("1.a"), Some(true));
        assert_eq!(parse("1.r"), Some(false));
        assert_eq!(parse("0.a"), None);
        assert_eq!(parse("1.x"), None);
        assert_eq!(parse("garbage"), None);
    }
}
