//! What every e-mail is made of: the shop's details it needs and the rendered text + HTML pair
//! that goes into the outbox. Each capability renders its own messages (askama templates in
//! the customer's language) into a [`Rendered`] and queues it here.

/// What every message needs to know about the shop.
#[derive(Debug, Clone)]
pub struct MailContext {
    /// Base URL for links (`https://…`, no trailing slash).
    pub public_url: String,
    /// The shop's name, for greetings and signatures.
    pub shop_name: String,
}

impl MailContext {
    /// The shop's details for mail, from the configuration.
    pub fn of(config: &crate::config::Config) -> MailContext {
        MailContext {
            public_url: config.public_url.clone(),
            shop_name: config.shop.name.clone(),
        }
    }
}

/// A rendered message: recipient, subject, text, HTML.
pub struct Rendered {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Rendered {
    /// Puts the message in the outbox, in the caller's transaction.
    pub fn queue(&self, conn: &mut crate::db::DbConn) -> diesel::QueryResult<()> {
        crate::mail::repo::enqueue(conn, &self.to, &self.subject, &self.text, &self.html)
    }

    /// Puts the message in the outbox with `extras` (unsubscribe header, erase once sent).
    pub fn queue_with(
        &self,
        conn: &mut crate::db::DbConn,
        extras: &crate::mail::repo::Extras,
    ) -> diesel::QueryResult<()> {
        crate::mail::repo::enqueue_with(
            conn,
            &self.to,
            &self.subject,
            &self.text,
            &self.html,
            extras,
        )
    }
}
