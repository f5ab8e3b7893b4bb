//! The database schema, kept by hand with portable column types only, so the same queries
//! compile for SQLite and PostgreSQL.

diesel::table! {
    categories (id) {
        id -> BigInt,
        slug -> Text,
        name_nl -> Text,
        name_en -> Text,
        description_nl -> Text,
        description_en -> Text,
        position -> Integer,
    }
}

diesel::table! {
    occasions (id) {
        id -> BigInt,
        slug -> Text,
        name_nl -> Text,
        name_en -> Text,
        position -> Integer,
    }
}

diesel::table! {
    products (id) {
        id -> BigInt,
        slug -> Text,
        category_id -> BigInt,
        name_nl -> Text,
        name_en -> Text,
        description_nl -> Text,
        description_en -> Text,
        vat_rate -> Text,
        lead_time_days -> Integer,
        active -> Bool,
        is_addon -> Bool,
        image -> Text,
        position -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    product_variants (id) {
        id -> BigInt,
        product_id -> BigInt,
        size -> Text,
        price_cents -> BigInt,
    }
}

diesel::table! {
    product_occasions (product_id, occasion_id) {
        product_id -> BigInt,
        occasion_id -> BigInt,
    }
}

diesel::table! {
    product_addons (product_id, addon_id) {
        product_id -> BigInt,
        addon_id -> BigInt,
    }
}

diesel::table! {
    app_meta (key) {
        key -> Text,
        value -> Text,
    }
}

diesel::joinable!(products -> categories (category_id));
diesel::joinable!(product_variants -> products (product_id));
diesel::joinable!(product_occasions -> occasions (occasion_id));

diesel::allow_tables_to_appear_in_same_query!(
    app_meta,
    categories,
    occasions,
    products,
    product_variants,
    product_occasions,
    product_addons,
);
