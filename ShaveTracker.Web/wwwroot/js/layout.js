// The layout's two buttons on pages rendered without a circuit (the shave list; any page before its circuit starts).
// Interactive pages handle them in MainLayout.razor; the theme choice is a cookie either way, so every page, static
// or interactive, opens in the theme last picked.
(() => {
    'use strict';

    const THEME_COOKIE = 'ShaveTracker.Theme';
    const WIDE = '(min-width: 960px)'; // MudBlazor's md breakpoint, where the responsive drawer stops covering the page

    function setDrawer(open) {
        const drawer = document.querySelector('.mud-drawer.mud-drawer-responsive');
        const layout = document.querySelector('.mud-layout');
        if (!drawer || !layout) {
            return;
        }
        drawer.classList.remove('mud-drawer--initial');
        drawer.classList.toggle('mud-drawer--open', open);
        drawer.classList.toggle('mud-drawer--closed', !open);
        layout.classList.toggle('mud-drawer-open-responsive-md-left', open);
        // On a narrow screen the open drawer covers the page: the page behind it is dimmed, and a click on it (or
        // Escape) closes the drawer, as MudBlazor's overlay does on interactive pages.
        let overlay = document.querySelector('[data-drawer-overlay]');
        if (open && !window.matchMedia(WIDE).matches) {
            if (!overlay) {
                overlay = document.createElement('div');
                overlay.className = 'mud-overlay mud-overlay-drawer';
                overlay.dataset.drawerOverlay = '';
                overlay.innerHTML = '<div class="mud-overlay-scrim mud-overlay-dark"></div>';
                layout.appendChild(overlay);
            }
        } else {
            overlay?.remove();
        }
    }

    document.addEventListener('click', e => {
        const theme = e.target.closest('[data-theme-next]');
        if (theme) {
            const secure = location.protocol === 'https:' ? '; secure' : '';
            document.cookie = `${THEME_COOKIE}=${theme.dataset.themeNext}; path=/; max-age=31536000; samesite=lax${secure}`;
            if (theme.hasAttribute('data-theme-reload')) {
                location.reload();
            }
        }

        const toggle = e.target.closest('[data-drawer-toggle]');
        if (toggle) {
            setDrawer(!document.querySelector('.mud-drawer.mud-drawer--open'));
        } else if (e.target.closest('[data-drawer-overlay]')) {
            setDrawer(false);
        }
    });

    document.addEventListener('keydown', e => {
        if (e.key === 'Escape' && document.querySelector('[data-drawer-overlay]')) {
            setDrawer(false);
        }
    });

    // A static page is rendered with the drawer open; on a narrow screen it would cover the page, so it starts
    // closed there, as MudBlazor's responsive drawer does on interactive pages.
    function fitDrawer() {
        if (document.querySelector('[data-drawer-toggle]') && !window.matchMedia(WIDE).matches) {
            setDrawer(false);
        }
    }

    fitDrawer();
    window.Blazor?.addEventListener?.('enhancedload', fitDrawer);

    // "Skip to content" moves the keyboard focus into the page's content, not only the scroll position. Caught before
    // Blazor's own link handling (capture phase), which would otherwise treat it as a navigation.
    document.addEventListener('click', e => {
        const skip = e.target.closest('a.skip-link');
        const main = skip && document.getElementById('main');
        if (main) {
            e.preventDefault();
            main.focus();
            main.scrollIntoView();
        }
    }, true);
})();
