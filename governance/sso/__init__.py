"""One login (一号通行): LDAP and OpenID Connect sign-in, group → role and vendor mappings."""
