#!/bin/sh
# First start of the postgres container: the role the API and the worker connect as. It owns
# nothing (the schema belongs to POSTGRES_USER, who runs the migrations), so it can neither change
# the schema nor switch off the privacy log's triggers. The migrations grant it its rights.
set -eu
: "${POSTGRES_APP_PASSWORD:?set POSTGRES_APP_PASSWORD}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -v pw="$POSTGRES_APP_PASSWORD" <<'SQL'
CREATE ROLE rehearse_app LOGIN PASSWORD :'pw';
SQL
