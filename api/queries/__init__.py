"""Every database read and write, as `async def verb_noun(session, ...)`, grouped by concept."""
