-- Places an order in one call (one network round trip instead of six): the order row, given as
-- JSON keyed by column name, its lines and add-ons, an optional payment, and a place on the
-- delivery date, all or nothing. A full date raises 'bloei: delivery date full'. Rows are built
-- with jsonb_populate_record over the whole table type, so a column added later is filled from
-- the same JSON keys (and a NOT NULL column the JSON lacks fails loudly, not silently).
CREATE FUNCTION bloei_place_order(
    p_order jsonb,
    p_lines jsonb,
    p_addons jsonb,
    p_payment jsonb,
    p_capacity integer
) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_id bigint;
    v_day date := (p_order->>'delivery_date')::date;
BEGIN
    INSERT INTO orders
    SELECT r.* FROM jsonb_populate_record(
        NULL::orders,
        p_order || jsonb_build_object('id', nextval(pg_get_serial_sequence('orders', 'id')))
    ) AS r
    RETURNING id INTO v_id;

    WITH l AS (
        INSERT INTO order_lines
        SELECT r.*
        FROM jsonb_array_elements(p_lines) AS e,
            LATERAL jsonb_populate_record(
                NULL::order_lines,
                e.value || jsonb_build_object(
                    'id', nextval(pg_get_serial_sequence('order_lines', 'id')),
                    'order_id', v_id)
            ) AS r
        RETURNING id, position
    )
    INSERT INTO order_line_addons
    SELECT r.*
    FROM l
        JOIN jsonb_array_elements(p_addons) AS a ON (a.value->>'position')::integer = l.position,
        LATERAL jsonb_populate_record(
            NULL::order_line_addons,
            (a.value - 'position') || jsonb_build_object(
                'id', nextval(pg_get_serial_sequence('order_line_addons', 'id')),
                'line_id', l.id)
        ) AS r;

    IF p_payment IS NOT NULL THEN
        INSERT INTO payments
        SELECT r.* FROM jsonb_populate_record(
            NULL::payments,
            p_payment || jsonb_build_object(
                'id', nextval(pg_get_serial_sequence('payments', 'id')),
                'order_id', v_id)
        ) AS r;
    END IF;

    -- The date's place last: its row is what concurrent checkouts for that date wait for.
    UPDATE delivery_days SET booked = booked + 1
    WHERE delivery_days.day = v_day AND booked < p_capacity;
    IF NOT FOUND THEN
        INSERT INTO delivery_days (day, booked) VALUES (v_day, 0) ON CONFLICT DO NOTHING;
        UPDATE delivery_days SET booked = booked + 1
        WHERE delivery_days.day = v_day AND booked < p_capacity;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'bloei: delivery date full';
        END IF;
    END IF;
    RETURN v_id;
END;
$$;
