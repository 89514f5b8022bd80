"""HTML views of the family plan: thin; access through ``permissions``, changes through
``services``, every read audited."""
