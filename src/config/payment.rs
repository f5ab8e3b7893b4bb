//! Payment-provider settings.

use super::{ConfigError, Settings};

/// Mollie's production API.
pub const DEFAULT_API_URL: &str = "https://api.mollie.com/v2";

/// How to reach Mollie.
#[derive(Clone)]
pub struct MollieSettings {
    /// `test_…` or `live_…`.
    pub api_key: String,
    /// The API's base URL without a trailing slash (Mollie's own unless a test points elsewhere).
    pub api_url: String,
}

impl std::fmt::Debug for MollieSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MollieSettings")
            .field("api_key", &"[redacted]")
            .field("api_url", &self.api_url)
            .finish()
    }
}

/// Mollie's settings from an API key, which must look like one (`live_` or `test_` and at least
/// 30 letters and digits), so a pasted typo stops the start instead of every payment.
pub(super) fn mollie_settings(s: &Settings) -> Result<Option<MollieSettings>, ConfigError> {
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
        .unwrap_or(DEFAULT_API_URL)
        .trim_end_matches('/')
        .to_owned();
    if !api_url.starts_with("https://") && !api_url.starts_with("http://") {
        return Err(ConfigError(format!(
            "BLOEI_MOLLIE_API_URL must start with https:// (or http:// for a local test server), got `{api_url}`."
        )));
    }
    Ok(Some(MollieSettings {
        api_key: key.to_owned(),
        api_url,
    }))
}
