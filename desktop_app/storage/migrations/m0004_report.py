"""Version 4 (annual report): the register of reconsideration and
litigation cases (section 四), the proactive-disclosure figures per year
(section 二), the narrative texts per year (前言, sections 一, 五, 六) and
the published snapshots that lock a year's figures."""


def migrate(db):
    db.execute(
        """
        CREATE TABLE review_cases (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            case_number TEXT,
            filed_date TEXT NOT NULL,
            closed_date TEXT,
            result TEXT NOT NULL DEFAULT 'pending',
            application_id INTEGER REFERENCES applications(id) ON DELETE SET NULL,
            party TEXT,
            body TEXT,
            notes TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX idx_review_cases_filed ON review_cases(filed_date)")
    db.execute("CREATE INDEX idx_review_cases_application ON review_cases(application_id)")
    db.execute(
        """
        CREATE TABLE report_proactive (
            year INTEGER PRIMARY KEY,
            regulations_issued INTEGER,
            regulations_repealed INTEGER,
            regulations_in_force INTEGER,
            normative_issued INTEGER,
            normative_repealed INTEGER,
            normative_in_force INTEGER,
            licensing_decisions INTEGER,
            penalty_decisions INTEGER,
            enforcement_decisions INTEGER,
            fees_amount REAL,
            updated_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE report_texts (
            year INTEGER NOT NULL,
            section TEXT NOT NULL,
            text TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL,
            PRIMARY KEY (year, section)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE report_snapshots (
            year INTEGER PRIMARY KEY,
            published_at TEXT NOT NULL,
            document TEXT NOT NULL
        )
        """
    )
