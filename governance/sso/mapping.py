"""Group → role and vendor mappings, set by the admin; the first match decides.

Order (documented in the README): mappings of the sign-in's source in ascending
``priority`` (default 100), ties in the order they were added. A user in no mapped group
is refused.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from governance import audit
from governance.errors import AlreadyExists, InvalidInput, NotFound, said
from governance.modeltypes import row_id
from governance.registry import service as registry
from governance.registry.models import Role, Vendor
from governance.sso.models import GroupMapping
from governance.sso.values import Source, group_key

DEFAULT_PRIORITY = 100


def _source(value: str) -> Source:
    try:
        return Source(value)
    except ValueError:
        raise said(
            InvalidInput, "invalid source %(source)s: choose ldap or oidc", source=repr(value)
        ) from None


def _role_and_vendor(session: Session, role: str, vendor: str | None) -> tuple[Role, int | None]:
    try:
        chosen = Role(role)
    except ValueError:
        raise said(
            InvalidInput, "invalid role %(role)s: choose admin, pm, vendor or auditor", role=repr(role)
        ) from None
    if (chosen is Role.vendor) != bool(vendor):
        raise said(InvalidInput, "a mapping to the vendor role needs a vendor; other roles take no vendor")
    return chosen, (row_id(registry.get_vendor(session, vendor)) if vendor else None)


def add_mapping(
    session: Session,
    *,
    source: str,
    group: str,
    role: str,
    actor: str,
    vendor: str | None = None,
    priority: int | None = None,
) -> GroupMapping:
    """Map a directory group to a role (and vendor); a group is mapped once per source."""
    chosen_source, group = _source(source), group.strip()
    if not group or len(group) > 500:
        raise said(InvalidInput, "a group is 1-500 characters (an LDAP DN or an OIDC group claim value)")
    chosen_role, vendor_id = _role_and_vendor(session, role, vendor)
    key = group_key(chosen_source, group)
    taken = session.exec(
        select(GroupMapping).where(GroupMapping.source == chosen_source.value, GroupMapping.group_key == key)
    ).first()
    if taken is not None:
        raise said(
            AlreadyExists,
            "group %(group)s is already mapped (mapping #%(taken_id)s): remove it first",
            group=repr(group),
            taken_id=taken.id,
        )
    mapping = GroupMapping(
        source=chosen_source.value,
        group_name=group,
        group_key=key,
        priority=DEFAULT_PRIORITY if priority is None else priority,
        role=chosen_role.value,
        vendor_id=vendor_id,
        created_by=actor,
    )
    session.add(mapping)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="sso.mapping_add",
        target_type="sso_mapping",
        target_id=row_id(mapping),
        data={
            "source": mapping.source,
            "group": group,
            "role": mapping.role,
            "vendor": vendor,
            "priority": mapping.priority,
        },
    )
    return mapping


def list_mappings(
    session: Session, *, source: Source | None = None
) -> list[tuple[GroupMapping, Vendor | None]]:
    """Mappings in the order they are tried (per source)."""
    query = (
        select(GroupMapping, Vendor)
        .join(Vendor, col(GroupMapping.vendor_id) == col(Vendor.id), isouter=True)
        .order_by(col(GroupMapping.source), col(GroupMapping.priority), col(GroupMapping.id))
    )
    if source is not None:
        query = query.where(GroupMapping.source == source.value)
    return [(row[0], row[1]) for row in session.exec(query)]


def remove_mapping(session: Session, *, mapping_id: int, actor: str) -> GroupMapping:
    """Delete a mapping; users it admitted lose access at their next sign-in or re-check."""
    mapping = session.get(GroupMapping, mapping_id)
    if mapping is None:
        raise said(NotFound, "unknown mapping #%(id)s", id=mapping_id)
    session.delete(mapping)
    audit.record(
        session,
        actor=actor,
        action="sso.mapping_remove",
        target_type="sso_mapping",
        target_id=mapping_id,
        data={"source": mapping.source, "group": mapping.group_name, "role": mapping.role},
    )
    session.flush()
    return mapping


def first_match(session: Session, *, source: Source, groups: Iterable[str]) -> GroupMapping | None:
    """The first mapping (in the documented order) whose group the user holds."""
    held = {group_key(source, group) for group in groups}
    for mapping, _vendor in list_mappings(session, source=source):
        if mapping.group_key in held:
            return mapping
    return None
