//! Delivery data in the database: demo zones and overrides, and the capacity of a date under
//! concurrency.

use bloei::delivery::{repo, service};
use chrono::NaiveDate;

use crate::support::TestApp;

#[test]
fn concurrent_bookings_for_the_last_places_of_a_day_take_exactly_the_capacity() {
    let app = TestApp::spawn_with(|s| s.db_pool_size = Some(8));
    let day = NaiveDate::from_ymd_opt(2026, 12, 24).unwrap();
    let capacity = 5;
    let attempts: Vec<_> = (0..24)
        .map(|_| {
            let db = app.db.clone();
            std::thread::spawn(move || {
                let mut conn = db.conn().unwrap();
                conn.write_tx(|c| repo::take_place(c, day, capacity))
                    .unwrap()
            })
        })
        .collect();
    let taken = attempts
        .into_iter()
        .map(|t| t.join().unwrap())
        .filter(|&got| got)
        .count();
    assert_eq!(taken, capacity as usize);
    let booked = repo::booked(&mut app.conn(), day, day).unwrap();
    assert_eq!(booked[&day], capacity);
    // A released place can be taken again, once.
    repo::release_place(&mut app.conn(), day).unwrap();
    assert!(repo::take_place(&mut app.conn(), day, capacity).unwrap());
    assert!(!repo::take_place(&mut app.conn(), day, capacity).unwrap());
}

#[test]
fn the_demo_shop_delivers_around_purmerend_and_opens_on_mothers_day() {
    let app = TestApp::spawn();
    let config = bloei::config::Config::from_settings(bloei::config::Settings {
        data_dir: Some(std::env::temp_dir()),
        ..Default::default()
    })
    .unwrap();
    let plan = service::load_plan(
        &mut app.conn(),
        &bloei::delivery::rules::DeliveryRules::from(&config.delivery),
        chrono::Utc::now(),
    )
    .unwrap();
    let purmerend = bloei::domain::DutchPostcode::parse("1441 AB").unwrap();
    assert_eq!(plan.zone(&purmerend).unwrap().name, "Purmerend");
    let groningen = bloei::domain::DutchPostcode::parse("9711 AA").unwrap();
    assert!(plan.zone(&groningen).is_none());
    let next_year = chrono::Datelike::year(&chrono::Utc::now()) + 1;
    let mothers_day = bloei::delivery::seed::mothers_day(next_year);
    let overrides = repo::overrides(&mut app.conn(), mothers_day, mothers_day).unwrap();
    assert_eq!(overrides.len(), 1, "Mother's Day {mothers_day} is open");
    assert!(!plan.available_dates(0).is_empty());
}
