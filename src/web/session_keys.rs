//! What the session cookie is called and the entries in it that the page frame reads, whichever
//! capability writes them: the header's cart count and the privacy-statement notice.

/// Name of the session cookie (also declared in the data map).
pub const SESSION_COOKIE: &str = "bloei_session";

/// How many items the cart holds, written by ordering whenever it stores the cart, so the
/// header can show it without knowing what a cart is.
pub const CART_COUNT: &str = "cart_count";

/// Set at login when the privacy statement changed since the customer last read it (P19).
pub const STATEMENT_NOTICE: &str = "privacy_notice";
