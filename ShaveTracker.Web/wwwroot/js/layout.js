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
})();
