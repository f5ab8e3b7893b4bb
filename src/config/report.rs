//! `bloei check-config`: the effective settings, one per line under the name an operator sets
//! them by, with every secret shown only as whether and where it is set.

use super::{Config, DatabaseUrl, Secret};

impl Config {
    /// The effective settings as `NAME = value` lines. Keys, passwords and the Mollie API key
    /// are never printed: a key shows as `set`, or as the file it is (or will be) generated in.
    pub fn report(&self) -> String {
        let yes_no = |b: bool| if b { "true" } else { "false" }.to_owned();
        let key = |given: &Option<Secret>, file: &str| match given {
            Some(_) => "set (hidden)".to_owned(),
            None if matches!(self.database, DatabaseUrl::Postgres(_)) => {
                "NOT SET (required on PostgreSQL)".to_owned()
            }
            None => format!(
                "from {} (hidden; generated on first start)",
                self.data_dir.join(file).display()
            ),
        };
        let smtp = match self.smtp_url() {
            Some(url) => redact_url(url),
            None => format!(
                "(none: mail is written as files under {})",
                self.data_dir.join("mail").display()
            ),
        };
        let d = &self.delivery;
        let closed: Vec<String> = d.closed_weekdays.iter().map(ToString::to_string).collect();
        let optional = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
        let lines: Vec<(&str, String)> = vec![
            ("BLOEI_LISTEN", self.listen.clone()),
            ("BLOEI_METRICS_LISTEN", optional(&self.metrics_listen)),
            ("BLOEI_PUBLIC_URL", self.public_url.clone()),
            ("DATABASE_URL", self.database.redacted()),
            ("BLOEI_DATA_DIR", self.data_dir.display().to_string()),
            ("BLOEI_SECRET_KEY", key(&self.secret_key, "secret.key")),
            ("BLOEI_DATA_KEY", key(&self.data_key, "data.key")),
            ("BLOEI_DB_POOL_SIZE", self.db_pool_size.to_string()),
            ("BLOEI_WORKERS", self.workers.to_string()),
            ("BLOEI_WORKER", yes_no(self.run_worker)),
            ("BLOEI_BEHIND_PROXY", yes_no(self.behind_proxy)),
            ("BLOEI_DEMO_SEED", yes_no(self.demo_seed)),
            (
                "BLOEI_CATALOGUE_CACHE_MS",
                self.catalogue_cache.as_millis().to_string(),
            ),
            (
                "BLOEI_DELIVERY_CUTOFF",
                d.cutoff.format("%H:%M").to_string(),
            ),
            ("BLOEI_CLOSED_WEEKDAYS", closed.join(",")),
            ("BLOEI_CLOSED_GOOD_FRIDAY", yes_no(d.closed_on_good_friday)),
            (
                "BLOEI_CLOSED_LIBERATION_DAY",
                yes_no(d.closed_on_liberation_day),
            ),
            (
                "BLOEI_BOOKING_WINDOW_DAYS",
                d.booking_window_days.to_string(),
            ),
            ("BLOEI_DAILY_CAPACITY", d.daily_capacity.to_string()),
            (
                "BLOEI_PAYMENT_EXPIRY_MINUTES",
                (self.payment_expiry.as_secs() / 60).to_string(),
            ),
            ("BLOEI_SMTP_URL", smtp),
            ("BLOEI_MAIL_FROM", self.mail_from.to_string()),
            (
                "BLOEI_MOLLIE_API_KEY",
                match &self.mollie {
                    Some(m) if m.api_key.starts_with("live_") => "set, live (hidden)".into(),
                    Some(_) => "set, test (hidden)".into(),
                    None => "(none)".into(),
                },
            ),
            (
                "BLOEI_MOLLIE_API_URL",
                self.mollie
                    .as_ref()
                    .map_or_else(|| "(not used)".into(), |m| m.api_url.clone()),
            ),
            ("BLOEI_TEST_PAYMENTS", yes_no(self.test_payments)),
            (
                "BLOEI_ARGON2_MEMORY_KIB",
                self.password_cost.memory_kib.to_string(),
            ),
            (
                "BLOEI_ARGON2_ITERATIONS",
                self.password_cost.iterations.to_string(),
            ),
            (
                "BLOEI_TRACKING_SCRIPT",
                optional(&self.privacy.tracking_script),
            ),
            (
                "BLOEI_COURIER_SERVICE",
                optional(&self.privacy.courier_service),
            ),
            ("BLOEI_MAIL_PROVIDER", optional(&self.privacy.mail_provider)),
            (
                "BLOEI_REMINDER_DAYS",
                self.privacy.reminder_days.to_string(),
            ),
            ("BLOEI_SHOP_NAME", self.shop.name.clone()),
            ("BLOEI_SHOP_STREET", self.shop.street.clone()),
            ("BLOEI_SHOP_POSTCODE", self.shop.postcode.clone()),
            ("BLOEI_SHOP_CITY", self.shop.city.clone()),
            ("BLOEI_SHOP_KVK", self.shop.kvk.clone()),
            ("BLOEI_SHOP_VAT_ID", self.shop.vat_id.clone()),
            ("BLOEI_SHOP_EMAIL", self.shop.email.clone()),
            ("BLOEI_SHOP_PHONE", self.shop.phone.clone()),
        ];
        let width = lines.iter().map(|(name, _)| name.len()).max().unwrap_or(0);
        lines
            .into_iter()
            .map(|(name, value)| format!("{name:width$} = {value}\n"))
            .collect()
    }
}

/// A URL with its user information (`user:password@`) replaced by `***@`.
fn redact_url(url: &str) -> String {
    match (url.split_once("://"), url.rfind('@')) {
        (Some((scheme, _)), Some(at)) => format!("{scheme}://***@{}", &url[at + 1..]),
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_loses_its_user_and_password() {
        assert_eq!(
            redact_url("smtps://user:p%40ss@mail.example.nl:465"),
            "smtps://***@mail.example.nl:465"
        );
        assert_eq!(redact_url("smtp://127.0.0.1:2525"), "smtp://127.0.0.1:2525");
    }
}
