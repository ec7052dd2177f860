"""Read models for the portal: scoped queries that pages and the API share.

They live on the portal side only because the domain packages for them were being written
in parallel; each takes the session and the acting user, and scopes through
:mod:`governance.access`, so moving them under ``governance/`` later changes no behaviour.
"""
