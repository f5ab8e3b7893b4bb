//! Tests of configuration loading.

use super::secret::MIN_KEY_BYTES;
use super::*;

fn settings_in(dir: &Path) -> Settings {
    Settings {
        data_dir: Some(dir.to_path_buf()),
        ..Settings::default()
    }
}

#[test]
fn the_local_default_generates_a_private_key_once_and_reuses_it() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::from_settings(settings_in(dir.path())).unwrap();
    let first = config.secret_key().unwrap();
    let second = config.secret_key().unwrap();
    assert_eq!(first, second);
    assert!(first.len() >= MIN_KEY_BYTES);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(dir.path().join("secret.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn postgres_without_a_secret_key_is_refused_with_the_setting_named() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = settings_in(dir.path());
    s.database_url = Some("postgres://bloei@localhost/bloei".into());
    let err = Config::from_settings(s).unwrap().secret_key().unwrap_err();
    assert!(err.0.contains("BLOEI_SECRET_KEY"), "{err}");
}

#[test]
fn a_short_or_garbled_secret_key_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    for bad in ["c2hvcnQ=", "not base64 at all!"] {
        let mut s = settings_in(dir.path());
        s.secret_key = Some(bad.into());
        let err = Config::from_settings(s).unwrap_err();
        assert!(err.0.starts_with("BLOEI_SECRET_KEY is not usable"), "{err}");
    }
}

#[test]
fn flags_and_environment_win_over_the_file_which_wins_over_defaults() {
    let file = Settings {
        listen: Some("0.0.0.0:9000".into()),
        shop_name: Some("Bloemen aan de Dam".into()),
        ..Settings::default()
    };
    let cli = Settings {
        listen: Some("127.0.0.1:7000".into()),
        ..Settings::default()
    };
    let merged = cli.or(file);
    assert_eq!(merged.listen.as_deref(), Some("127.0.0.1:7000"));
    assert_eq!(merged.shop_name.as_deref(), Some("Bloemen aan de Dam"));
}

#[test]
fn delivery_settings_are_read_and_bad_ones_named() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = settings_in(dir.path());
    s.delivery_cutoff = Some("15:30".into());
    s.closed_weekdays = Some("sat, sun".into());
    s.daily_capacity = Some(12);
    let rules = Config::from_settings(s.clone()).unwrap().delivery;
    assert_eq!(
        rules.cutoff,
        chrono::NaiveTime::from_hms_opt(15, 30, 0).unwrap()
    );
    assert_eq!(
        rules.closed_weekdays,
        vec![chrono::Weekday::Sat, chrono::Weekday::Sun]
    );
    assert_eq!(rules.daily_capacity, 12);
    s.delivery_cutoff = Some("half drie".into());
    assert!(
        Config::from_settings(s.clone())
            .unwrap_err()
            .0
            .contains("BLOEI_DELIVERY_CUTOFF")
    );
    s.delivery_cutoff = None;
    s.closed_weekdays = Some("zondag".into());
    assert!(
        Config::from_settings(s)
            .unwrap_err()
            .0
            .contains("BLOEI_CLOSED_WEEKDAYS")
    );
}

#[test]
fn an_unknown_key_in_bloei_toml_is_reported_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bloei.toml");
    fs::write(&path, "lisen = \"127.0.0.1:1\"\n").unwrap();
    let err = Config::load(Settings::default(), Some(&path)).unwrap_err();
    assert!(err.0.contains("lisen"), "{err}");
}

#[test]
fn a_mollie_key_replaces_test_payments_and_a_malformed_one_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::from_settings(settings_in(dir.path())).unwrap();
    assert!(config.test_payments && config.mollie().is_none());

    let mut s = settings_in(dir.path());
    s.mollie_api_key = Some("test_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM".into());
    let config = Config::from_settings(s).unwrap();
    assert!(!config.test_payments, "no test page beside real payments");
    let mollie = config.mollie().unwrap();
    assert_eq!(mollie.api_url, "https://api.mollie.com/v2");
    assert!(
        !format!("{config:?}").contains("dHar4XY7"),
        "the key is never printed"
    );

    for bad in [
        "dHar4XY7LxsDOtmnkVtjNVWXLSlXsM",
        "live_short",
        "test_ met spaties en meer tekens dan dertig",
    ] {
        let mut s = settings_in(dir.path());
        s.mollie_api_key = Some(bad.into());
        let err = Config::from_settings(s).unwrap_err();
        assert!(err.0.starts_with("BLOEI_MOLLIE_API_KEY"), "{err}");
        assert!(!err.0.contains(bad), "the key is not echoed: {err}");
    }
}
