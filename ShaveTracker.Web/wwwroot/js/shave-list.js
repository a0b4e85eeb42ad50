// The shave list (/shaves) is a static server-rendered page: no circuit keeps its grid alive, so an open tab costs
// the server next to nothing. This script gives its plain HTML what the interactive controls used to do:
// - the filter form applies as you type (search, after a pause) or pick (dates, page size, autocompletes), through
//   Blazor's enhanced navigation, so the page is updated in place and the back button walks through the views;
// - the project and requester filters search on the server as you type (autocomplete over a JSON endpoint);
// - the rows' checkboxes are handed to the bulk-actions island (ShaveBulkActions.razor).
// Everything is delegated from document: it keeps working after enhanced navigation replaces the page's content.
(() => {
    'use strict';

    const FILTERS = 'form[data-shave-filters]';
    // The order of ShaveListUrl.ToQueryString, so the address the form navigates to is already the canonical one.
    const ORDER = ['status', 'project', 'requester', 'from', 'to', 'q', 'sort', 'dir', 'size'];
    const SEARCH_DELAY = 400;
    const SUGGEST_DELAY = 250;

    const navigate = url => window.Blazor?.navigateTo ? window.Blazor.navigateTo(url) : window.location.assign(url);

    function viewUrl(form) {
        const parts = [];
        for (const name of ORDER) {
            const field = form.elements.namedItem(name);
            const value = field && 'value' in field ? field.value.trim() : '';
            if (value !== '' && value !== field.dataset.default) {
                // Statuses are a comma-separated list, written as such in the canonical address.
                parts.push(`${name}=${encodeURIComponent(value).replaceAll('%2C', ',')}`);
            }
        }
        return '/shaves' + (parts.length ? '?' + parts.join('&') : '');
    }

    let searchTimer = 0;
    let typedSearch = null;

    function apply(form) {
        clearTimeout(searchTimer);
        const url = viewUrl(form);
        if (url !== location.pathname + location.search) {
            navigate(url);
        }
    }

    document.addEventListener('submit', e => {
        const form = e.target.closest(FILTERS);
        if (form) {
            e.preventDefault();
            apply(form);
        }
    });

    document.addEventListener('input', e => {
        const input = e.target;
        const form = input.form?.matches(FILTERS) ? input.form : null;
        if (!form) {
            return;
        }

        // The label floats above a field with text, as MudBlazor does for the fields it renders itself.
        input.closest('.mud-input')?.classList.toggle('mud-shrink', input.value !== '' || input.type === 'date');
        if (input.name === 'q') {
            typedSearch = input.value;
            clearTimeout(searchTimer);
            searchTimer = setTimeout(() => apply(form), SEARCH_DELAY);
        } else if (input.closest('[data-combobox]')) {
            suggestSoon(input.closest('[data-combobox]'));
        }
    });

    document.addEventListener('change', e => {
        const field = e.target;
        const form = field.form?.matches(FILTERS) ? field.form : null;
        if (form && (field.name === 'from' || field.name === 'to' || field.name === 'size')) {
            apply(form);
        }
        if (field.matches('input.st-row-select, input.st-select-all')) {
            onRowSelection(field);
        }
    });

    // A clear button (MudBlazor's, rendered on the server) empties its field and applies the form.
    document.addEventListener('click', e => {
        const clear = e.target.closest(`${FILTERS} .mud-input-clear-button`);
        if (!clear) {
            return;
        }
        e.preventDefault();
        const control = clear.closest('.mud-input-control');
        const input = control?.querySelector('input:not([type=hidden])');
        if (input) {
            input.value = '';
        }
        const combobox = clear.closest('[data-combobox]');
        if (combobox) {
            combobox.querySelector('input[type=hidden]').value = '';
        }
        apply(clear.closest(FILTERS));
    });

    // --- Autocomplete (project, requester) ---------------------------------------------------------------------

    let suggestTimer = 0;
    let suggestRequest = null;
    let listCount = 0;

    const textOf = box => box.querySelector('input[role=combobox]');
    const idOf = box => box.querySelector('input[type=hidden]');

    function listOf(box) {
        let list = box.querySelector('.st-combobox-list');
        if (!list) {
            list = document.createElement('div');
            list.className = 'st-combobox-list mud-paper mud-elevation-8';
            list.setAttribute('role', 'listbox');
            list.id = `st-combobox-list-${++listCount}`;
            box.appendChild(list);
            textOf(box).setAttribute('aria-controls', list.id);
        }
        return list;
    }

    function suggestSoon(box) {
        clearTimeout(suggestTimer);
        suggestTimer = setTimeout(() => suggest(box), SUGGEST_DELAY);
    }

    async function suggest(box) {
        suggestRequest?.abort();
        const request = suggestRequest = new AbortController();
        const text = textOf(box).value.trim();
        let options;
        try {
            const response = await fetch(`${box.dataset.combobox}?q=${encodeURIComponent(text)}`,
                { signal: request.signal, headers: { accept: 'application/json' } });
            if (!response.ok) {
                return;
            }
            options = await response.json();
        } catch {
            return; // Replaced by a newer search, or the network went away: the field keeps working as a plain input.
        }
        if (request !== suggestRequest || !box.isConnected) {
            return;
        }
        // Suggestions that arrive after the field lost the focus (Tab straight on) stay closed: a list left open would
        // cover the table with nothing to close it.
        if (document.activeElement === textOf(box)) {
            show(box, options);
        }
        box.dataset.suggestionsAnswered = String(Number(box.dataset.suggestionsAnswered ?? 0) + 1);
    }

    function show(box, options) {
        const list = listOf(box);
        list.replaceChildren();
        for (const option of options) {
            const item = document.createElement('div');
            item.className = 'mud-list-item mud-list-item-dense mud-list-item-gutters mud-list-item-clickable';
            item.setAttribute('role', 'option');
            item.id = `${list.id}-${option.id}`;
            item.dataset.id = option.id;
            item.dataset.name = option.name;
            const text = document.createElement('div');
            text.className = 'mud-list-item-text';
            const p = document.createElement('p');
            p.className = 'mud-typography mud-typography-body2';
            p.textContent = option.name;
            text.appendChild(p);
            item.appendChild(text);
            list.appendChild(item);
        }
        if (options.length === 0) {
            const none = document.createElement('div');
            none.className = 'mud-list-item mud-list-item-dense mud-list-item-gutters mud-list-item-disabled';
            none.textContent = 'No matches';
            list.appendChild(none);
        }
        list.hidden = false;
        textOf(box).setAttribute('aria-expanded', 'true');
    }

    function close(box) {
        const list = box.querySelector('.st-combobox-list');
        if (list) {
            list.hidden = true;
        }
        const input = textOf(box);
        input.setAttribute('aria-expanded', 'false');
        input.removeAttribute('aria-activedescendant');
    }

    function pick(box, item) {
        textOf(box).value = item.dataset.name;
        textOf(box).dataset.selectedName = item.dataset.name;
        idOf(box).value = item.dataset.id;
        close(box);
        apply(box.closest(FILTERS));
    }

    function move(box, step) {
        const list = box.querySelector('.st-combobox-list');
        if (!list || list.hidden) {
            suggest(box);
            return;
        }
        const items = [...list.querySelectorAll('[role=option]')];
        if (items.length === 0) {
            return;
        }
        const current = items.findIndex(i => i.classList.contains('mud-selected-item'));
        const next = items[(current + step + items.length) % items.length];
        items.forEach(i => i.classList.toggle('mud-selected-item', i === next));
        next.scrollIntoView({ block: 'nearest' });
        textOf(box).setAttribute('aria-activedescendant', next.id);
    }

    document.addEventListener('keydown', e => {
        const box = e.target.closest?.('[data-combobox]');
        if (!box || e.target !== textOf(box)) {
            return;
        }
        const list = box.querySelector('.st-combobox-list');
        const open = list && !list.hidden;
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            move(box, e.key === 'ArrowDown' ? 1 : -1);
        } else if (e.key === 'Enter') {
            // Enter picks the highlighted option (or the only one); it never submits the half-typed text.
            e.preventDefault();
            const items = open ? [...list.querySelectorAll('[role=option]')] : [];
            const item = items.find(i => i.classList.contains('mud-selected-item')) ?? (items.length === 1 ? items[0] : null);
            if (item) {
                pick(box, item);
            } else if (textOf(box).value.trim() === '') {
                idOf(box).value = '';
                apply(box.closest(FILTERS));
            }
        } else if (e.key === 'Escape' && open) {
            e.preventDefault();
            close(box);
        }
    });

    document.addEventListener('focusin', e => {
        const box = e.target.closest?.('[data-combobox]');
        if (box && e.target === textOf(box)) {
            textOf(box).select();
            suggest(box);
        }
    });

    // Clicking an option: mousedown comes before the input loses focus, so the list is still there.
    document.addEventListener('mousedown', e => {
        const item = e.target.closest('.st-combobox-list [role=option]');
        if (item) {
            e.preventDefault();
            pick(item.closest('[data-combobox]'), item);
        }
    });

    document.addEventListener('focusout', e => {
        const box = e.target.closest?.('[data-combobox]');
        if (!box || e.target !== textOf(box)) {
            return;
        }
        clearTimeout(suggestTimer);
        close(box);
        const input = textOf(box);
        if (input.value.trim() === '' && idOf(box).value !== '') {
            // Emptying the field removes the filter.
            idOf(box).value = '';
            apply(box.closest(FILTERS));
        } else {
            // Text that was typed but not picked is not a filter: show the one that applies.
            input.value = input.dataset.selectedName ?? '';
        }
    });

    // --- Row selection for the bulk-actions island -------------------------------------------------------------

    const selected = new Set();
    let bulk = null;
    let refreshAfterConfirmation = false;
    let selectedView = null;

    const rowBoxes = () => [...document.querySelectorAll('input.st-row-select')];
    const currentView = () => document.querySelector('[data-testid=shave-grid]')?.dataset.view ?? null;

    function onRowSelection(box) {
        if (box.matches('.st-select-all')) {
            rowBoxes().forEach(b => { b.checked = box.checked; });
        }
        selected.clear();
        rowBoxes().filter(b => b.checked).forEach(b => selected.add(b.value));
        selectedView = currentView();
        publish();
    }

    function publish() {
        const boxes = rowBoxes();
        const all = document.querySelector('input.st-select-all');
        if (all) {
            const ticked = boxes.filter(b => b.checked).length;
            all.checked = ticked > 0 && ticked === boxes.length;
            all.indeterminate = ticked > 0 && ticked < boxes.length;
        }
        boxes.forEach(b => b.closest('tr')?.classList.toggle('st-row-selected', b.checked));
        // The island can be gone by the time the call arrives (its page is closing or being replaced): nothing to tell.
        bulk?.invokeMethodAsync('SetSelection', [...selected]).catch(e => console.debug('Selection not delivered:', e));
    }

    // After an enhanced navigation or refresh the rows are the server's again (unticked). The same view keeps what
    // was selected among the rows still on screen; another view starts with nothing selected.
    function restoreSelection() {
        // A streamed refresh shows "Loading shaves…" before its rows: that is not a view without the selected rows.
        if (document.querySelector('[data-testid=shave-grid] [data-testid=loading]')) {
            return;
        }
        const view = currentView();
        const boxes = rowBoxes();
        if (view !== selectedView) {
            selected.clear();
        }
        const present = new Set(boxes.map(b => b.value));
        [...selected].filter(id => !present.has(id)).forEach(id => selected.delete(id));
        boxes.forEach(b => { b.checked = selected.has(b.value); });
        selectedView = view;
        publish();
    }

    // A search typed while the page was being refreshed is not lost: the server rendered the text it had.
    function restoreTyping() {
        const input = document.querySelector(`${FILTERS} input[name=q]`);
        if (input && typedSearch !== null && document.activeElement === input && input.value !== typedSearch) {
            input.value = typedSearch;
            searchTimer = setTimeout(() => apply(input.form), SEARCH_DELAY);
        } else {
            typedSearch = null;
        }
    }

    function onEnhancedLoad() {
        // The rows were just read again: a refresh that waited for a confirmation has nothing left to do.
        refreshAfterConfirmation = false;
        restoreSelection();
        restoreTyping();
    }

    if (window.Blazor?.addEventListener) {
        window.Blazor.addEventListener('enhancedload', onEnhancedLoad);
    } else {
        document.addEventListener('DOMContentLoaded', () => window.Blazor?.addEventListener?.('enhancedload', onEnhancedLoad));
    }

    window.shaveList = {
        attachBulk(reference) {
            bulk = reference;
            restoreSelection();
        },
        detachBulk(reference) {
            if (bulk === reference) {
                bulk = null;
            }
        },
        // An enhanced refresh of the list (the live island asks for it when a row on screen has changed). A refresh is a
        // navigation, and MudBlazor closes every open dialog on a navigation: a bulk action's confirmation would vanish
        // under the mouse. While one is open the refresh waits for its answer (confirmationClosed).
        refresh() {
            if (document.querySelector('.mud-dialog-container')) {
                refreshAfterConfirmation = true;
                return;
            }
            window.Blazor.navigateTo(location.href, { replaceHistoryEntry: true });
        },
        // Called by the bulk-actions island once its confirmation is answered and it asked for no refresh of its own.
        confirmationClosed() {
            if (refreshAfterConfirmation) {
                refreshAfterConfirmation = false;
                window.shaveList.refresh();
            }
        },
        clearSelection() {
            selected.clear();
            rowBoxes().forEach(b => { b.checked = false; });
            publish();
        },
    };
})();
