//! The flows most tests start from, as methods on `TestApp`: a logged-in customer, a logged-in
//! staff member, a paid guest order. Each goes through the real pages (and the mail, for the
//! confirmation link), so a test reads as what a person does first.

use bloei::staff::model::Role;
use reqwest::blocking::Client;

use crate::support::{TestApp, browser};

impl TestApp {
    /// A new visitor who registered as `name` with `email` and confirmed through the mailed
    /// link, which logs them in.
    pub(crate) fn customer(&self, name: &str, email: &str) -> Client {
        let client = browser();
        crate::accounts::register_and_verify(self, &client, name, email);
        client
    }

    /// A new staff member with `role`, logged in (with the two-step set-up the role needs).
    pub(crate) fn staff_member(&self, email: &str, role: Role) -> Client {
        crate::staff::create_staff_as(self, email, role);
        let client = browser();
        crate::staff::log_in_with(self, &client, email);
        client
    }

    /// A guest order paid with the test provider: its id and delivery date (`YYYY-MM-DD`).
    pub(crate) fn paid_order(&self) -> (i64, String) {
        crate::staff::paid_order(self)
    }
}
