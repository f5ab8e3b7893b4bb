//! Privacy settings: the third parties that receive personal data (for the privacy statement,
//! P10/P18), the optional tracking script (loaded only with consent, P12) and reminders.

use super::{ConfigError, Settings};

/// Who receives data besides the shop, and what the shop loads only with consent.
#[derive(Debug, Clone, Default)]
pub struct PrivacyConfig {
    /// An analytics or advertising script URL, rendered only with consent.
    pub tracking_script: Option<String>,
    /// The courier company, when deliveries are not made by the shop's own couriers.
    pub courier_service: Option<String>,
    /// The company sending e-mail for the shop, when mail goes out through one.
    pub mail_provider: Option<String>,
    /// Whether payments go through Mollie.
    pub mollie: bool,
    /// Whether e-mail goes out by SMTP at all (otherwise it stays on the machine).
    pub smtp: bool,
    /// Days before a saved occasion its reminder goes out.
    pub reminder_days: u32,
}

impl PrivacyConfig {
    /// The origin (`https://host[:port]`) of the tracking script, for the CSP.
    pub fn tracking_origin(&self) -> Option<String> {
        let url = self.tracking_script.as_deref()?;
        let (scheme, rest) = url.split_once("://")?;
        let host = rest.split(['/', '?', '#']).next()?;
        Some(format!("{scheme}://{host}"))
    }
}

fn name(value: Option<&String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

pub(super) fn privacy_settings(
    s: &Settings,
    mollie: bool,
    smtp: bool,
) -> Result<PrivacyConfig, ConfigError> {
    let tracking_script = name(s.tracking_script.as_ref());
    if let Some(url) = &tracking_script {
        let ok = (url.starts_with("https://") || url.starts_with("http://"))
            && !url
                .chars()
                .any(|c| c.is_whitespace() || c == '"' || c == '\'' || c == ';');
        if !ok {
            return Err(ConfigError(format!(
                "BLOEI_TRACKING_SCRIPT must be the http(s) URL of a script, got `{url}`."
            )));
        }
    }
    let reminder_days = s.reminder_days.unwrap_or(7);
    if !(1..=60).contains(&reminder_days) {
        return Err(ConfigError(
            "BLOEI_REMINDER_DAYS must be between 1 and 60.".into(),
        ));
    }
    Ok(PrivacyConfig {
        tracking_script,
        courier_service: name(s.courier_service.as_ref()),
        mail_provider: name(s.mail_provider.as_ref()),
        mollie,
        smtp,
        reminder_days,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tracking_script_must_be_a_plain_url_and_its_origin_goes_into_the_csp() {
        let settings = Settings {
            tracking_script: Some("https://stats.example.net/t.js?id=1".into()),
            ..Settings::default()
        };
        let config = privacy_settings(&settings, false, false).unwrap();
        assert_eq!(
            config.tracking_origin().as_deref(),
            Some("https://stats.example.net")
        );
        let bad = Settings {
            tracking_script: Some("https://x.example/a.js' onload='x".into()),
            ..Settings::default()
        };
        let error = privacy_settings(&bad, false, false).unwrap_err();
        assert!(error.0.contains("BLOEI_TRACKING_SCRIPT"), "{error}");
    }
}
