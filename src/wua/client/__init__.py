"""The client library: a host session and typed objects for the 26 remote interfaces.

    import wua
    with wua.connect("host", "Administrator", "secret") as host:
        searcher = host.update_session.create_update_searcher()
        for update in searcher.search("IsInstalled=0").updates:
            print(update.title, update.kb_article_ids)

`wua.aio.connect` is the same with `async with` / `await`.
"""
