"""An office's shared PostgreSQL server: roles, grants and row-level security (``orientation serveur``).

Each counselor connects as their own login role, member of :data:`COUNSELOR_GROUP`; an office
administrator is also member of :data:`ADMIN_GROUP`. The server itself enforces:

- the catalogue (métiers, formations, nomenclatures, settings) is read by every counselor and
  written only by an administrator;
- a student's file (the student, sessions and their lists, follow-up rows) is seen and changed
  only by its owner (``students.owner``, the login that created it) and the logins it is shared
  with (``student_shares``); only the owner may erase it, share it or hand it over;
- an access-log line is seen only by the login that wrote it.

The role that runs :func:`init_server` (the database's owner) keeps seeing every row: it is the
office's installation and restore account, never a counselor's. Row-level security is FORCEd
so that this is a stated rule of the policies, not an accident of ownership.

:func:`init_server` is idempotent: roles are created when missing, policies and triggers are
dropped and created again. This is the one place that writes PostgreSQL-only DDL for owners.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.engine import make_url

from db.errors import PermissionRefusedError, UserError, refused_by_server
from db.storage.engine import Database, make_engine, resolve_url

COUNSELOR_GROUP = "orientation_conseiller"
ADMIN_GROUP = "orientation_admin"
LOGIN_PATTERN = re.compile(r"[a-z_][a-z0-9_.-]{0,62}")
NOT_A_SERVER = ("cette commande ne s'applique qu'à un serveur PostgreSQL partagé (--db postgresql+psycopg://…) : "
                "une base SQLite sert un·e seul·e conseiller·ère et n'a ni rôles ni partages")

# Visibility of a student row, as a policy expression (``{me}``: the installation role).
_VISIBLE = ("(owner = current_user OR current_user = {me} OR EXISTS (SELECT 1 FROM student_shares sh "
            "WHERE sh.student_id = students.id AND sh.login = current_user))")
_VIA_STUDENT = "EXISTS (SELECT 1 FROM students s WHERE s.id = {table}.student_id)"
_VIA_SESSION = "EXISTS (SELECT 1 FROM sessions x WHERE x.id = {table}.session_id)"
_OWN = "(owner = current_user OR current_user = {me})"

# Tables whose rows are a student's file, and how each row's visibility is decided.
_FOLLOWING_STUDENT = ("sessions", "bilan_handovers", "liaison_consents")
_FOLLOWING_SESSION = ("session_interests", "session_sectors", "shortlist", "comparison")
STUDENT_TABLES = ("students", *_FOLLOWING_STUDENT, *_FOLLOWING_SESSION, "milestones", "milestone_students",
                  "student_shares")
LOG_TABLES = ("access_log", "erasures")  # counselors add lines, never change them
_SEQUENCES = ("students", "sessions", "milestones", "access_log", "erasures")


def quote_ident(name: str) -> str:
    """``name`` as a PostgreSQL identifier (double quotes, doubled inside)."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    """``value`` as a PostgreSQL string literal (standard_conforming_strings is on since 9.1)."""
    return "'" + value.replace("'", "''") + "'"


def server_url(db: str | None) -> str:
    """The URL of ``--db`` when it names a PostgreSQL server; UserError (French) otherwise."""
    from db.storage.paths import requested_db

    value = requested_db(db)  # checked before resolving: a file path is never created here
    if "://" not in value or make_url(resolve_url(value)).get_backend_name() != "postgresql":
        raise UserError(NOT_A_SERVER)
    return value


def check_login(login: str) -> str:
    """A counselor's login as PostgreSQL will store it; UserError for one it would not take as is."""
    if not LOGIN_PATTERN.fullmatch(login):
        raise UserError(f"identifiant refusé : « {login[:70]} » ; écrivez-le en minuscules sans accents ni "
                        "espaces (lettres, chiffres, « _ », « . », « - », 63 caractères au plus), "
                        "par exemple « c.martin »")
    return login


CATALOGUE_REFUSED = ("l'import dans le catalogue partagé est réservé aux comptes administrateurs du serveur (rôle "
                     f"{ADMIN_GROUP}) : demandez-le à l'administrateur·rice du bureau ; rien n'a été importé")


def check_catalogue_writable(database: Database) -> None:
    """On an office server, refuse (French :class:`PermissionRefusedError`) before an import when
    the connected role may not write the shared catalogue. Nothing to check on SQLite."""
    if database.engine.dialect.name != "postgresql":
        return
    with database.read() as session:
        allowed = session.execute(text("SELECT has_table_privilege('metiers', 'INSERT')")).scalar()
    if not allowed:
        raise PermissionRefusedError(CATALOGUE_REFUSED)


# ------------------------------------------------------------------ serveur init
def init_server(database: Database) -> list[str]:
    """Roles, grants and policies on the (migrated, filled) server ``database``; French lines
    saying what was done. Run as the database's owner; safe to run again."""
    if database.engine.dialect.name != "postgresql":
        raise UserError(NOT_A_SERVER)
    done: list[str] = []
    with _refused_as(INIT_REFUSED), database.engine.begin() as conn:
        me = str(conn.execute(text("SELECT current_user")).scalar_one())
        for role, member_of in ((COUNSELOR_GROUP, None), (ADMIN_GROUP, COUNSELOR_GROUP)):
            if _create_group(conn, role, member_of):
                done.append(f"Rôle {role} créé.")
        from db.catalogue.search_pg import create_search

        # The full-text objects (migration 0011) if the extensions came after the migration ran;
        # before the grants, which then cover its tables too.
        create_search(conn)
        _grant(conn)
        _secure(conn, me)
        again = reapply_erasures(conn)
        missing = _missing_extensions(conn)
    if missing:
        done.append(f"Attention : extension(s) {', '.join(missing)} absente(s) de ce serveur : installez le paquet "
                    "postgresql-contrib de sa version de PostgreSQL (la recherche de texte en a besoin).")
    if again:
        done.append(f"{again} dossier(s) effacé(s) depuis la sauvegarde restaurée l'ont été à nouveau "
                    "(journal des effacements).")
    done.append(f"Droits et règles d'accès en place : chaque conseiller·ère ne voit que ses dossiers et ceux "
                f"qu'on lui partage ; seuls les membres de {ADMIN_GROUP} modifient le catalogue. Le rôle « {me} » "
                "(installation, restauration) voit tout : ne l'utilisez pas pour les entretiens.")
    return done


REQUIRED_EXTENSIONS = ("unaccent", "pg_trgm")


def _missing_extensions(conn: Connection) -> list[str]:
    """Extensions the README asks for that this server cannot provide (not even installable)."""
    available = set(conn.execute(text("SELECT name FROM pg_available_extensions")).scalars())
    return [name for name in REQUIRED_EXTENSIONS if name not in available]


INIT_REFUSED = ("« serveur init » doit être lancé avec le compte propriétaire de la base (le compte d'installation, "
                "qui peut créer des comptes : CREATEROLE) : rien n'a été modifié")
ADD_REFUSED = ("ce compte ne peut pas créer de comptes : lancez la commande avec le compte d'installation "
               "(propriétaire de la base, CREATEROLE) ; rien n'a été créé")


@contextmanager
def _refused_as(sentence: str) -> Iterator[None]:
    """The server's "insufficient privilege" as ``sentence`` (a French UserError)."""
    try:
        yield
    except DBAPIError as exc:
        if refused_by_server(exc):
            raise PermissionRefusedError(sentence) from exc
        raise


def role_exists(conn: Connection, role: str) -> bool:
    return conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first() is not None


def _create_group(conn: Connection, role: str, member_of: str | None) -> bool:
    if role_exists(conn, role):
        return False
    in_role = f" IN ROLE {member_of}" if member_of else ""
    conn.exec_driver_sql(f"CREATE ROLE {role} NOLOGIN{in_role}")
    return True


def _tables(conn: Connection) -> list[str]:
    return list(conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).scalars())


def _grant(conn: Connection) -> None:
    """Catalogue: read for counselors, write for administrators; student files: rows as the
    policies allow; logs: read and add."""
    database = str(conn.execute(text("SELECT current_database()")).scalar_one())
    schema = str(conn.execute(text("SELECT current_schema()")).scalar_one())
    conn.exec_driver_sql(f"REVOKE ALL ON DATABASE {quote_ident(database)} FROM PUBLIC")
    conn.exec_driver_sql(f"GRANT CONNECT, TEMPORARY ON DATABASE {quote_ident(database)} TO {COUNSELOR_GROUP}")
    conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {quote_ident(schema)} TO {COUNSELOR_GROUP}")
    private = set(STUDENT_TABLES) | set(LOG_TABLES)
    for table in _tables(conn):
        name = quote_ident(table)
        if table in private:
            continue
        conn.exec_driver_sql(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {name} FROM {COUNSELOR_GROUP}")
        conn.exec_driver_sql(f"GRANT SELECT ON {name} TO {COUNSELOR_GROUP}")
        if table != "alembic_version":  # the schema changes only through the owner's migrations
            conn.exec_driver_sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {name} TO {ADMIN_GROUP}")
    conn.exec_driver_sql(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {quote_ident(schema)} TO {ADMIN_GROUP}")
    for table in STUDENT_TABLES:
        conn.exec_driver_sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {COUNSELOR_GROUP}")
    for table in LOG_TABLES:
        conn.exec_driver_sql(f"GRANT SELECT, INSERT ON {table} TO {COUNSELOR_GROUP}")
    # Each counselor's own profile (name and contact printed on bilans): rows the policy limits.
    conn.exec_driver_sql(f"GRANT INSERT, UPDATE, DELETE ON app_meta TO {COUNSELOR_GROUP}")
    for table in _SEQUENCES:
        sequence = conn.execute(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table}).scalar()
        if sequence:
            conn.exec_driver_sql(f"GRANT USAGE, SELECT ON SEQUENCE {sequence} TO {COUNSELOR_GROUP}")


def _policies(me: str) -> dict[str, list[str]]:
    """Every policy, table by table (``CREATE POLICY`` bodies after ``ON table``)."""
    me_sql = quote_literal(me)
    visible, own = _VISIBLE.format(me=me_sql), _OWN.format(me=me_sql)
    policies: dict[str, list[str]] = {
        # Shared logins may change a file; only its owner erases it (the owner change is checked
        # by a trigger: a policy cannot compare the old row with the new).
        "students": [f"FOR SELECT USING {visible}", f"FOR INSERT WITH CHECK {own}",
                     f"FOR UPDATE USING {visible} WITH CHECK (true)", f"FOR DELETE USING {own}"],
        "milestones": [f"FOR ALL USING {own} WITH CHECK {own}"],
        "milestone_students": [
            "FOR ALL USING ({s} AND EXISTS (SELECT 1 FROM milestones m WHERE m.id = milestone_students.milestone_id))"
            .format(s=_VIA_STUDENT.format(table="milestone_students"))],
        "access_log": [f"FOR SELECT USING {own}", f"FOR INSERT WITH CHECK {own}"],
        # Who shares sees their shares; who is shared with sees theirs (and no other table is
        # read here: the students policy reads this one).
        "student_shares": [f"FOR SELECT USING (login = current_user OR shared_by = current_user OR current_user = "
                           f"{me_sql})",
                           f"FOR INSERT WITH CHECK (shared_by = current_user OR current_user = {me_sql})",
                           f"FOR DELETE USING (shared_by = current_user OR current_user = {me_sql})"],
    }
    # Settings: everyone reads them; a counselor writes only the keys of their own profile
    # ("conseiller_nom@login", db.students.settings); the office's common ones are the administrators'.
    mine_or_admin = ("((starts_with(key, 'conseiller') AND right(key, length(current_user) + 1) = '@' || current_user) "
                     f"OR pg_has_role(current_user, '{ADMIN_GROUP}', 'MEMBER') OR current_user = {me_sql})")
    policies["app_meta"] = ["FOR SELECT USING (true)", f"FOR INSERT WITH CHECK {mine_or_admin}",
                            f"FOR UPDATE USING {mine_or_admin} WITH CHECK {mine_or_admin}",
                            f"FOR DELETE USING {mine_or_admin}"]
    for table in _FOLLOWING_STUDENT:
        rule = _VIA_STUDENT.format(table=table)
        policies[table] = [f"FOR ALL USING ({rule}) WITH CHECK ({rule})"]
    for table in _FOLLOWING_SESSION:
        rule = _VIA_SESSION.format(table=table)
        policies[table] = [f"FOR ALL USING ({rule}) WITH CHECK ({rule})"]
    return policies


_TRIGGERS = {
    "orientation_owner_change": ("students", "BEFORE UPDATE OF owner", """
        IF NEW.owner IS DISTINCT FROM OLD.owner AND OLD.owner IS DISTINCT FROM current_user
           AND current_user <> {me} THEN
            RAISE EXCEPTION 'orientation: only the owner may hand this student over' USING ERRCODE = '42501';
        END IF;
        RETURN NEW;"""),
    "orientation_share_check": ("student_shares", "BEFORE INSERT", """
        IF current_user <> {me} AND NOT EXISTS (
            SELECT 1 FROM students WHERE id = NEW.student_id AND owner = current_user) THEN
            RAISE EXCEPTION 'orientation: only the owner may share this student' USING ERRCODE = '42501';
        END IF;
        RETURN NEW;"""),
}


# Handing a file over makes it invisible to the one who does it, which a policy forbids to a
# plain UPDATE (the new row must stay visible): this function does it as the installation role,
# for the file's owner only (session_user: the login connected, whatever the function runs as),
# or for the installation role itself (current_user inside the function): files copied in by
# ``orientation transfert`` have no owner yet, and a departing counselor's files need a new one.
_HAND_OVER = """
CREATE OR REPLACE FUNCTION orientation_hand_over(p_student integer, p_login text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $body$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM students WHERE id = p_student
                   AND (owner = session_user OR session_user = current_user))
       OR NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login
                      AND pg_has_role(oid, '{group}', 'MEMBER')) THEN
        RAISE EXCEPTION 'orientation: only the owner may hand this student over' USING ERRCODE = '42501';
    END IF;
    UPDATE sessions SET owner = p_login WHERE student_id = p_student;
    DELETE FROM student_shares WHERE student_id = p_student;
    UPDATE students SET owner = p_login WHERE id = p_student;
END;
$body$"""


def _secure(conn: Connection, me: str) -> None:
    """Row-level security on, forced, and the policies and triggers (re)created."""
    for table, bodies in _policies(me).items():
        conn.exec_driver_sql(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        conn.exec_driver_sql(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        existing = conn.execute(text("SELECT policyname FROM pg_policies WHERE tablename = :t "
                                     "AND schemaname = current_schema()"), {"t": table}).scalars().all()
        for name in existing:
            conn.exec_driver_sql(f"DROP POLICY {quote_ident(name)} ON {table}")
        for number, body in enumerate(bodies, start=1):
            conn.exec_driver_sql(f"CREATE POLICY orientation_{number} ON {table} {body}")
    for name, (table, when, body) in _TRIGGERS.items():
        conn.exec_driver_sql(f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body$\n"
                             f"BEGIN{body.format(me=quote_literal(me))}\nEND;\n$body$")
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        conn.exec_driver_sql(f"CREATE TRIGGER {name} {when} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()")
    schema = str(conn.execute(text("SELECT current_schema()")).scalar_one())
    conn.exec_driver_sql(_HAND_OVER.format(schema=quote_ident(schema), group=COUNSELOR_GROUP))
    conn.exec_driver_sql("REVOKE ALL ON FUNCTION orientation_hand_over(integer, text) FROM PUBLIC")
    conn.exec_driver_sql(f"GRANT EXECUTE ON FUNCTION orientation_hand_over(integer, text) TO {COUNSELOR_GROUP}")


# ------------------------------------------------------------------ serveur conseiller ajouter
def add_counselor(url: str, login: str, password: str, *, admin: bool = False) -> str:
    """Create the login role ``login`` in the counselors' group (and the administrators' with
    ``admin``), with ``password``; run as the database's owner (or any role allowed to create
    roles). The password travels to the server already hashed (SCRAM-SHA-256): it appears in no
    statement the server could log. Returns the French confirmation."""
    check_login(login)
    if len(password) < 8:
        raise UserError("mot de passe trop court : 8 caractères au moins")
    engine = make_engine(server_url(url))
    try:
        with _refused_as(ADD_REFUSED), engine.begin() as conn:
            if not role_exists(conn, COUNSELOR_GROUP):
                raise UserError("le serveur n'est pas préparé : lancez d'abord « orientation serveur init --db … »")
            if role_exists(conn, login):
                raise UserError(f"le rôle « {login} » existe déjà sur ce serveur : choisissez un autre identifiant")
            groups = f"{COUNSELOR_GROUP}, {ADMIN_GROUP}" if admin else COUNSELOR_GROUP
            hashed = _hashed(conn, login, password)
            conn.exec_driver_sql(f"CREATE ROLE {quote_ident(login)} LOGIN PASSWORD {quote_literal(hashed)} "
                                 f"IN ROLE {groups}")
    finally:
        engine.dispose()
    kind = "administrateur·rice (catalogue)" if admin else "conseiller·ère"
    return f"Compte {kind} « {login} » créé : il se connecte avec --db postgresql+psycopg://{login}@serveur/base."


def _hashed(conn: Connection, login: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of ``password``, computed by the client library."""
    driver = conn.connection.driver_connection
    pgconn = driver.pgconn  # type: ignore[union-attr]  # psycopg 3: the libpq connection
    return bytes(pgconn.encrypt_password(password.encode(), login.encode(), b"scram-sha-256")).decode()


# ------------------------------------------------------------------ after a restore
def reapply_erasures(conn: Connection) -> int:
    """Erase again every student the ``erasures`` ledger names (number and creation moment, as on
    SQLite) that a restored ``pg_dump`` brought back; set the id counters past every known row
    so that no number is handed out twice. Returns how many students were erased again."""
    ledger = {(int(sid), str(created)) for sid, created in conn.execute(
        text("SELECT student_id, student_created FROM erasures"))}
    back = [sid for sid, created in conn.execute(text("SELECT id, created_at FROM students"))
            if (int(sid), str(created)) in ledger]
    if back:
        conn.execute(text("DELETE FROM students WHERE id = ANY(:ids)"), {"ids": back})
    for table in _SEQUENCES:
        sequence = conn.execute(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table}).scalar()
        if sequence:
            conn.exec_driver_sql(f"SELECT setval('{sequence}', GREATEST((SELECT max(id) FROM {table}), "
                                 f"(SELECT max(student_id) FROM erasures WHERE '{table}' = 'students'), 1))")
    return len(back)
