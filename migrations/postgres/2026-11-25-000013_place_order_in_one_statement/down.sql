DROP FUNCTION bloei_place_order(jsonb, jsonb, jsonb, jsonb, integer);
