from desktop_app.main import main

raise SystemExit(main())
