"""Printed documents (reportlab, no Qt): the application form, every notice
a clerk sends, envelopes, and the fonts they share (:mod:`.fonts`)."""
