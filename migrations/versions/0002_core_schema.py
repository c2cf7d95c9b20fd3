"""Core schema: areas, places, stations, units, users, calls, incidents, assignments.

Written as SQL so the PostGIS types, GiST indexes, triggers and the partial unique index
that keeps a unit on at most one open assignment are plain to read.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

from migrations.sqlscript import run_script

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

OPEN_ASSIGNMENT = "('sent', 'accepted', 'en_route', 'on_scene', 'transporting')"

UPGRADE = f"""
CREATE TABLE admin_areas (
    code        varchar(20) PRIMARY KEY,
    name        text NOT NULL,
    name_norm   text NOT NULL,
    level       varchar(10) NOT NULL CHECK (level IN ('kota', 'kecamatan', 'kelurahan')),
    parent_code varchar(20) REFERENCES admin_areas(code),
    -- geometry, not geography: polygons are used for point-in-polygon at city scale.
    geom        geometry(MultiPolygon, 4326) NOT NULL,
    centre      geography(Point, 4326) NOT NULL
);
CREATE INDEX admin_areas_geom_gist ON admin_areas USING gist (geom);
CREATE INDEX admin_areas_name_trgm ON admin_areas USING gin (name_norm gin_trgm_ops);

CREATE TABLE places (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL,
    name_norm   text NOT NULL,
    kind        varchar(20) NOT NULL,
    location    geography(Point, 4326) NOT NULL,
    approximate boolean NOT NULL DEFAULT false,
    source      text NOT NULL
);
CREATE UNIQUE INDEX places_name_kind ON places (name, kind);
CREATE INDEX places_location_gist ON places USING gist (location);
CREATE INDEX places_name_trgm ON places USING gin (name_norm gin_trgm_ops);

CREATE TABLE stations (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL UNIQUE,
    kind        varchar(20) NOT NULL CHECK (kind IN ('fire', 'police', 'ambulance')),
    location    geography(Point, 4326) NOT NULL,
    approximate boolean NOT NULL DEFAULT false,
    note        text,
    place_id    uuid REFERENCES places(id)
);
CREATE INDEX stations_location_gist ON stations USING gist (location);

CREATE TABLE units (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    callsign    varchar(40) NOT NULL UNIQUE,
    kind        varchar(20) NOT NULL CHECK (kind IN ('fire', 'police', 'ambulance')),
    status      varchar(20) NOT NULL DEFAULT 'available' CHECK (status IN
                ('available', 'dispatched', 'en_route', 'on_scene', 'transporting', 'out_of_service')),
    station_id  uuid REFERENCES stations(id),
    location    geography(Point, 4326),
    location_at timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX units_location_gist ON units USING gist (location);
CREATE INDEX units_kind_status ON units (kind, status);

CREATE TABLE unit_status_history (
    id      bigserial PRIMARY KEY,
    unit_id uuid NOT NULL REFERENCES units(id),
    status  varchar(20) NOT NULL,
    at      timestamptz NOT NULL DEFAULT now(),
    actor   text,
    reason  text
);
CREATE INDEX unit_status_history_unit ON unit_status_history (unit_id, at);

CREATE TABLE users (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    username      varchar(60) NOT NULL UNIQUE,
    password_hash text NOT NULL,
    role          varchar(20) NOT NULL CHECK (role IN ('admin', 'supervisor', 'dispatcher', 'responder')),
    unit_id       uuid REFERENCES units(id),
    demo          boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((role = 'responder') = (unit_id IS NOT NULL))
);

CREATE TABLE auth_sessions (
    token_hash varchar(64) PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);

CREATE TABLE callers (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    number        varchar(20) UNIQUE,
    imei          varchar(16) UNIQUE,
    first_call_at timestamptz NOT NULL,
    last_call_at  timestamptz NOT NULL,
    CHECK (number IS NOT NULL OR imei IS NOT NULL)
);

CREATE TABLE incidents (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    number             varchar(30) NOT NULL UNIQUE,
    status             varchar(20) NOT NULL DEFAULT 'new'
                       CHECK (status IN ('new', 'dispatched', 'active', 'closed', 'cancelled')),
    category           varchar(20) NOT NULL,
    priority           integer NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 5),
    description        text NOT NULL,
    address            text,
    location           geography(Point, 4326),
    geocode_status     varchar(20) NOT NULL
                       CHECK (geocode_status IN ('resolved', 'ambiguous', 'unresolved')),
    geocode_source     varchar(20),
    geocode_confidence double precision,
    geocode_label      text,
    kelurahan_code     varchar(20) REFERENCES admin_areas(code),
    kecamatan_code     varchar(20) REFERENCES admin_areas(code),
    recommendations    jsonb NOT NULL DEFAULT '[]',
    shortfall          text[] NOT NULL DEFAULT '{{}}',
    call_id            uuid,
    outcome            text,
    created_by         uuid REFERENCES users(id),
    created_at         timestamptz NOT NULL DEFAULT now(),
    closed_at          timestamptz
);
CREATE INDEX incidents_location_gist ON incidents USING gist (location);
CREATE INDEX incidents_status_created ON incidents (status, created_at);
CREATE SEQUENCE incident_number_seq;

CREATE TABLE calls (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    received_at     timestamptz NOT NULL,
    caller_id       uuid REFERENCES callers(id),
    caller_number   varchar(20),
    caller_imei     varchar(16),
    location        geography(Point, 4326),
    accuracy_m      double precision,
    location_source varchar(20),
    aml             text,
    notes           text,
    verdict         varchar(20) CHECK (verdict IN ('emergency', 'prank', 'silent', 'non_emergency',
                                                   'wrong_number', 'test', 'duplicate')),
    triaged_at      timestamptz,
    triaged_by      uuid REFERENCES users(id),
    incident_id     uuid REFERENCES incidents(id),
    created_by      uuid REFERENCES users(id),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX calls_caller_received ON calls (caller_id, received_at);
CREATE INDEX calls_received ON calls (received_at);
CREATE INDEX calls_location_gist ON calls USING gist (location);

CREATE TABLE incident_events (
    id          bigserial PRIMARY KEY,
    incident_id uuid NOT NULL REFERENCES incidents(id),
    at          timestamptz NOT NULL DEFAULT now(),
    kind        varchar(40) NOT NULL,
    actor       text,
    data        jsonb NOT NULL DEFAULT '{{}}'
);
CREATE INDEX incident_events_incident ON incident_events (incident_id, id);

CREATE TABLE assignments (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    incident_id     uuid NOT NULL REFERENCES incidents(id),
    unit_id         uuid NOT NULL REFERENCES units(id),
    status          varchar(20) NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'accepted',
                    'declined', 'timed_out', 'en_route', 'on_scene', 'transporting', 'cleared',
                    'cancelled')),
    distance_m      double precision,
    reason          text,
    sent_at         timestamptz NOT NULL DEFAULT now(),
    accepted_at     timestamptz,
    declined_at     timestamptz,
    timed_out_at    timestamptz,
    en_route_at     timestamptz,
    on_scene_at     timestamptz,
    transporting_at timestamptz,
    cleared_at      timestamptz,
    cancelled_at    timestamptz,
    decline_reason  text
);
-- The last line of defence for "a unit is never on two open assignments", whatever the code does.
CREATE UNIQUE INDEX assignments_one_open_per_unit ON assignments (unit_id)
    WHERE status IN {OPEN_ASSIGNMENT};
CREATE INDEX assignments_incident ON assignments (incident_id);

CREATE TABLE push_subscriptions (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    endpoint   text NOT NULL UNIQUE,
    p256dh     text NOT NULL,
    auth       text NOT NULL,
    unit_id    uuid NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE response_plans (
    category   varchar(20) PRIMARY KEY,
    unit_kinds text[] NOT NULL
);
INSERT INTO response_plans (category, unit_kinds) VALUES
    ('fire', '{{fire}}'),
    ('medical', '{{ambulance}}'),
    ('security', '{{police}}'),
    ('accident', '{{police,ambulance}}'),
    ('disaster', '{{fire,police,ambulance}}'),
    ('other', '{{police}}');

-- Timelines are history: rows are added, never changed or removed.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;
CREATE TRIGGER incident_events_append_only BEFORE UPDATE OR DELETE ON incident_events
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER unit_status_history_append_only BEFORE UPDATE OR DELETE ON unit_status_history
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
"""

TABLES = (
    "response_plans push_subscriptions assignments incident_events calls incidents callers "
    "auth_sessions users unit_status_history units stations places admin_areas"
)


def upgrade() -> None:
    run_script(UPGRADE)


def downgrade() -> None:
    for table in TABLES.split():
        op.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
    op.execute("DROP SEQUENCE IF EXISTS incident_number_seq")
    op.execute("DROP FUNCTION IF EXISTS refuse_change()")
