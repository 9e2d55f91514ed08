from dl_lsp.cli import main

raise SystemExit(main())
