//! Payment-provider settings.

use super::{ConfigError, Settings};

/// Mollie's settings from an API key, which must look like one (`live_` or `test_` and at least
/// 30 letters and digits), so a pasted typo stops the start instead of every payment.
pub(super) fn mollie_settings(
    s: &Settings,
) -> Result<Option<crate::payment::mollie::MollieSettings>, ConfigError> {
    let Some(key) = s.mollie_api_key.as_deref().map(str::trim) else {
        return Ok(None);
    };
    let shaped = ["live_", "test_"].iter().any(|prefix| {
        key.strip_prefix(prefix)
            .is_some_and(|rest| rest.len() >= 30 && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
    });
    if !shaped {
        return Err(ConfigError(
            "BLOEI_MOLLIE_API_KEY must be a Mollie API key: `live_` or `test_` followed by at least 30 letters and digits.".into(),
        ));
    }
    let api_url = s
        .mollie_api_url
        .as_deref()
        .unwrap_or(crate::payment::mollie::DEFAULT_API_URL)
        .trim_end_matches('/')
        .to_owned();
    if !api_url.starts_with("https://") && !api_url.starts_with("http://") {
        return Err(ConfigError(format!(
            "BLOEI_MOLLIE_API_URL must start with https:// (or http:// for a local test server), got `{api_url}`."
        )));
    }
    Ok(Some(crate::payment::mollie::MollieSettings {
        api_key: key.to_owned(),
        api_url,
    }))
}
