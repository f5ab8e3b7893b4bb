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
        photo -> Nullable<Text>,
    }
}

diesel::table! {
    product_variants (id) {
        id -> BigInt,
        product_id -> BigInt,
        size -> Text,
        price_cents -> BigInt,
        description_nl -> Text,
        description_en -> Text,
        active -> Bool,
    }
}

diesel::table! {
    product_photos (id) {
        id -> BigInt,
        product_id -> BigInt,
        photo -> Text,
        width -> Integer,
        height -> Integer,
        bytes -> Binary,
        created_at -> Timestamp,
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

diesel::table! {
    delivery_zones (id) {
        id -> BigInt,
        name -> Text,
        postcode_from -> Integer,
        postcode_to -> Integer,
        fee_cents -> BigInt,
        position -> Integer,
    }
}

diesel::table! {
    calendar_overrides (day) {
        day -> Date,
        open -> Nullable<Bool>,
        note -> Text,
        capacity -> Nullable<Integer>,
        cutoff -> Nullable<Text>,
    }
}

diesel::table! {
    staff_changes (id) {
        id -> BigInt,
        staff_id -> Nullable<BigInt>,
        subject -> Text,
        summary -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    delivery_days (day) {
        day -> Date,
        booked -> Integer,
    }
}

diesel::table! {
    orders (id) {
        id -> BigInt,
        number -> Text,
        status_token -> Text,
        checkout_token -> Text,
        status -> Text,
        lang -> Text,
        fulfilment -> Text,
        delivery_date -> Date,
        sender_name -> Text,
        sender_email -> Text,
        sender_phone -> Nullable<Text>,
        recipient_name -> Nullable<Text>,
        recipient_street -> Nullable<Text>,
        recipient_postcode -> Nullable<Text>,
        recipient_city -> Nullable<Text>,
        recipient_phone -> Nullable<Text>,
        card_message -> Nullable<Text>,
        card_anonymous -> Bool,
        delivery_instructions -> Nullable<Text>,
        not_home -> Nullable<Text>,
        zone_name -> Nullable<Text>,
        goods_cents -> BigInt,
        delivery_fee_cents -> BigInt,
        total_cents -> BigInt,
        vat_reduced_gross_cents -> BigInt,
        vat_reduced_cents -> BigInt,
        vat_standard_gross_cents -> BigInt,
        vat_standard_cents -> BigInt,
        payment_expires_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        courier_id -> Nullable<BigInt>,
        customer_id -> Nullable<BigInt>,
        company_id -> Nullable<BigInt>,
        on_account -> Bool,
        po_number -> Nullable<Text>,
        invoice_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    order_lines (id) {
        id -> BigInt,
        order_id -> BigInt,
        position -> Integer,
        product_slug -> Text,
        product_name_nl -> Text,
        product_name_en -> Text,
        size -> Text,
        quantity -> Integer,
        unit_price_cents -> BigInt,
        vat_rate -> Text,
        line_total_cents -> BigInt,
    }
}

diesel::table! {
    order_line_addons (id) {
        id -> BigInt,
        line_id -> BigInt,
        addon_slug -> Text,
        name_nl -> Text,
        name_en -> Text,
        price_cents -> BigInt,
        vat_rate -> Text,
    }
}

diesel::table! {
    payments (id) {
        id -> BigInt,
        order_id -> BigInt,
        provider -> Text,
        provider_payment_id -> Text,
        status -> Text,
        amount_cents -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        checkout_url -> Nullable<Text>,
        purpose -> Text,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        recipient -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_by -> Nullable<Text>,
        claimed_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        customer_id -> Nullable<BigInt>,
        list_unsubscribe -> Nullable<Text>,
        erase_after_sending -> Bool,
    }
}

diesel::table! {
    staff (id) {
        id -> BigInt,
        email -> Text,
        name -> Text,
        password_hash -> Text,
        role -> Text,
        active -> Bool,
        created_at -> Timestamp,
        last_login_at -> Nullable<Timestamp>,
        totp_secret -> Nullable<Text>,
        totp_last_step -> Nullable<BigInt>,
    }
}

diesel::table! {
    staff_recovery_codes (id) {
        id -> BigInt,
        staff_id -> BigInt,
        code_hash -> Text,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    order_events (id) {
        id -> BigInt,
        order_id -> BigInt,
        from_status -> Text,
        to_status -> Text,
        staff_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        note -> Nullable<Text>,
    }
}

diesel::table! {
    refunds (id) {
        id -> BigInt,
        order_id -> BigInt,
        payment_id -> BigInt,
        kind -> Text,
        amount_cents -> BigInt,
        status -> Text,
        provider_refund_id -> Nullable<Text>,
        staff_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    customers (id) {
        id -> BigInt,
        email -> Text,
        name -> Text,
        phone -> Nullable<Text>,
        password_hash -> Text,
        lang -> Text,
        age_confirmed_at -> Timestamp,
        email_verified_at -> Nullable<Timestamp>,
        session_version -> Integer,
        created_at -> Timestamp,
        last_login_at -> Nullable<Timestamp>,
        privacy_version -> Nullable<Text>,
        privacy_accepted_at -> Nullable<Timestamp>,
        retention_warned_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    customer_tokens (id) {
        id -> BigInt,
        customer_id -> BigInt,
        purpose -> Text,
        token_hash -> Text,
        new_email -> Nullable<Text>,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    customer_logins (id) {
        id -> BigInt,
        customer_id -> BigInt,
        token_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    staff_logins (id) {
        id -> BigInt,
        staff_id -> BigInt,
        token_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    customer_addresses (id) {
        id -> BigInt,
        customer_id -> BigInt,
        kind -> Text,
        name -> Text,
        street -> Text,
        postcode -> Text,
        city -> Text,
        phone -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    companies (id) {
        id -> BigInt,
        name -> Text,
        kvk_number -> Text,
        vat_id -> Text,
        billing_street -> Text,
        billing_postcode -> Text,
        billing_city -> Text,
        contact_name -> Text,
        contact_job_title -> Text,
        iban_encrypted -> Nullable<Text>,
        approved_at -> Nullable<Timestamp>,
        approved_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    company_users (id) {
        id -> BigInt,
        company_id -> BigInt,
        customer_id -> BigInt,
        role -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    company_invitations (id) {
        id -> BigInt,
        company_id -> BigInt,
        email -> Text,
        role -> Text,
        token_hash -> Text,
        expires_at -> Timestamp,
        accepted_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    invoices (id) {
        id -> BigInt,
        sequence -> BigInt,
        number -> Text,
        company_id -> BigInt,
        month -> Text,
        issued_on -> Date,
        due_on -> Date,
        seller_name -> Text,
        seller_address -> Text,
        seller_kvk -> Text,
        seller_vat_id -> Text,
        buyer_name -> Text,
        buyer_address -> Text,
        buyer_kvk -> Text,
        buyer_vat_id -> Text,
        net_reduced_cents -> BigInt,
        vat_reduced_cents -> BigInt,
        net_standard_cents -> BigInt,
        vat_standard_cents -> BigInt,
        total_cents -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    newsletter_subscribers (id) {
        id -> BigInt,
        email -> Text,
        lang -> Text,
        customer_id -> Nullable<BigInt>,
        source -> Text,
        confirm_token_hash -> Nullable<Text>,
        confirm_expires_at -> Nullable<Timestamp>,
        confirmed_at -> Nullable<Timestamp>,
        unsubscribe_token -> Text,
        unsubscribed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    consent_events (id) {
        id -> BigInt,
        customer_id -> Nullable<BigInt>,
        subscriber_id -> Nullable<BigInt>,
        purpose -> Text,
        granted -> Bool,
        wording_version -> Integer,
        source -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    customer_occasions (id) {
        id -> BigInt,
        customer_id -> BigInt,
        label -> Text,
        month -> Integer,
        day -> Integer,
        last_reminded_year -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        action -> Text,
        customer_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        staff_id -> Nullable<BigInt>,
        subject -> Text,
    }
}

diesel::table! {
    disclosures (id) {
        id -> BigInt,
        order_id -> BigInt,
        kind -> Text,
        recipient_staff_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    contact_messages (id) {
        id -> BigInt,
        kind -> Text,
        status -> Text,
        name -> Text,
        email -> Text,
        order_number -> Nullable<Text>,
        body -> Text,
        lang -> Text,
        customer_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    contact_replies (id) {
        id -> BigInt,
        message_id -> BigInt,
        staff_id -> Nullable<BigInt>,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    privacy_requests (id) {
        id -> BigInt,
        kind -> Text,
        channel -> Text,
        requester_name -> Text,
        requester_email -> Text,
        customer_id -> Nullable<BigInt>,
        details -> Nullable<Text>,
        received_on -> Date,
        due_on -> Date,
        extension_reason -> Nullable<Text>,
        identity -> Nullable<Text>,
        identity_checked_at -> Nullable<Timestamp>,
        identity_staff_id -> Nullable<BigInt>,
        document_type -> Nullable<Text>,
        document_last_four -> Nullable<Text>,
        confirm_token_hash -> Nullable<Text>,
        confirm_expires_at -> Nullable<Timestamp>,
        status -> Text,
        outcome -> Nullable<Text>,
        closed_at -> Nullable<Timestamp>,
        staff_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        download_token_hash -> Nullable<Text>,
        download_expires_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    disclosure_records (id) {
        id -> BigInt,
        customer_id -> Nullable<BigInt>,
        order_id -> Nullable<BigInt>,
        recipient -> Text,
        legal_basis -> Text,
        data_sent -> Text,
        disclosed_on -> Date,
        staff_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    processors (id) {
        id -> BigInt,
        role -> Nullable<Text>,
        name -> Text,
        purpose_nl -> Text,
        purpose_en -> Text,
        data_nl -> Text,
        data_en -> Text,
        agreement_on -> Nullable<Date>,
        location -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    erasure_log (id) {
        id -> BigInt,
        subject_hash -> Text,
        erased_at -> Timestamp,
    }
}

diesel::joinable!(newsletter_subscribers -> customers (customer_id));
diesel::joinable!(consent_events -> customers (customer_id));
diesel::joinable!(customer_occasions -> customers (customer_id));
diesel::joinable!(company_users -> companies (company_id));
diesel::joinable!(company_users -> customers (customer_id));
diesel::joinable!(company_invitations -> companies (company_id));
diesel::joinable!(customer_tokens -> customers (customer_id));
diesel::joinable!(customer_logins -> customers (customer_id));
diesel::joinable!(staff_logins -> staff (staff_id));
diesel::joinable!(staff_changes -> staff (staff_id));
diesel::joinable!(orders -> customers (customer_id));
diesel::joinable!(customer_addresses -> customers (customer_id));
diesel::joinable!(order_events -> orders (order_id));
diesel::joinable!(order_lines -> orders (order_id));
diesel::joinable!(order_line_addons -> order_lines (line_id));
diesel::joinable!(payments -> orders (order_id));
diesel::joinable!(refunds -> orders (order_id));
diesel::joinable!(disclosures -> orders (order_id));
diesel::joinable!(contact_replies -> contact_messages (message_id));
diesel::joinable!(contact_replies -> staff (staff_id));
diesel::joinable!(audit_log -> staff (staff_id));
diesel::joinable!(refunds -> payments (payment_id));
diesel::joinable!(products -> categories (category_id));
diesel::joinable!(product_variants -> products (product_id));
diesel::joinable!(product_photos -> products (product_id));
diesel::joinable!(product_occasions -> occasions (occasion_id));

diesel::allow_tables_to_appear_in_same_query!(
    app_meta,
    newsletter_subscribers,
    consent_events,
    customer_occasions,
    audit_log,
    disclosures,
    contact_messages,
    contact_replies,
    privacy_requests,
    disclosure_records,
    processors,
    erasure_log,
    customers,
    companies,
    company_users,
    company_invitations,
    invoices,
    customer_tokens,
    customer_logins,
    staff_logins,
    customer_addresses,
    calendar_overrides,
    delivery_days,
    staff_changes,
    delivery_zones,
    order_line_addons,
    order_lines,
    order_events,
    orders,
    outbox,
    staff,
    staff_recovery_codes,
    payments,
    refunds,
    categories,
    occasions,
    products,
    product_variants,
    product_photos,
    product_occasions,
    product_addons,
);
