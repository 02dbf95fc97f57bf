"""The shell: the main window, its menus, toolbar, docks, start-up steps, settings and dialogs. It knows no
feature: features register themselves through app.ui.context."""
