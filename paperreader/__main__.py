from paperreader.launch import main

raise SystemExit(main())
