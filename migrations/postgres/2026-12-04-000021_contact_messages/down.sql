DROP TABLE contact_replies;
DROP TABLE contact_messages;
