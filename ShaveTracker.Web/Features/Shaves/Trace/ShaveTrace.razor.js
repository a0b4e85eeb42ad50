// What the trace needs from the browser: its keyboard shortcuts, which rows of the windowed list are in view,
// scrolling a row into view, a range dragged across the timeline's axis, and the clipboard. Everything else is
// rendered by the server.

const typingTargets = /^(INPUT|TEXTAREA|SELECT)$/;
const clickTargets = /^(BUTTON|A|SUMMARY)$/;

export function listen(dotnet) {
    const handler = e => {
        if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) {
            return;
        }
        const target = e.target;
        if (target && (target.isContentEditable || typingTargets.test(target.tagName))) {
            return; // typing j or k into a field is not navigation
        }
        let key = null;
        if (e.key === 'j' || e.key === 'k' || e.key === 'z') {
            key = e.key;
        } else if (e.key === '/') {
            // The search box, as in most lists with a search.
            const search = document.getElementById('trace-search');
            if (search) {
                e.preventDefault();
                search.focus();
            }
            return;
        } else if (e.key === 'Enter' && !(target && clickTargets.test(target.tagName))) {
            key = 'Enter'; // Enter on a focused button or link keeps its own meaning
        } else if (e.key === 'Escape') {
            key = 'Escape';
        }
        if (key === null) {
            return;
        }
        e.preventDefault();
        // The trace can be gone by the time the key arrives (its page is closing): nothing to do.
        dotnet.invokeMethodAsync('OnTraceKey', key).catch(err => console.debug('Trace key not delivered:', err));
    };
    document.addEventListener('keydown', handler);
    return { dispose: () => document.removeEventListener('keydown', handler) };
}

// The list renders a window of rows between two spacers; the server keeps the window around the rows in view.
// The browser says which rows are in view only when the view nears the window's edge (the window is in the list's
// data-first / data-end / data-total), so scrolling within it costs no round trip; until the new window
// arrives, each frame near the edge asks again, which the server ignores when the window already fits. The page can be closing when a
// report is sent: it is then dropped.
export function watchRows(container, dotnet, rowHeight) {
    const margin = 8;
    let frame = 0;
    let lastCount = -1;
    const report = () => {
        frame = 0;
        const first = Math.floor(container.scrollTop / rowHeight);
        const count = Math.ceil(container.clientHeight / rowHeight) + 1;
        const shownFirst = Number(container.dataset.first);
        const shownEnd = Number(container.dataset.end);
        const total = Number(container.dataset.total);
        const nearTop = shownFirst > 0 && first < shownFirst + margin;
        const nearBottom = shownEnd < total && first + count > shownEnd - margin;
        if (!nearTop && !nearBottom && count === lastCount) {
            return;
        }
        lastCount = count;
        dotnet.invokeMethodAsync('OnTraceView', first, count).catch(err => console.debug('Trace view not delivered:', err));
    };
    const schedule = () => {
        if (!frame) {
            frame = requestAnimationFrame(report);
        }
    };
    container.addEventListener('scroll', schedule, { passive: true });
    const resize = new ResizeObserver(schedule);
    resize.observe(container);
    report();
    return {
        dispose: () => {
            container.removeEventListener('scroll', schedule);
            resize.disconnect();
            if (frame) {
                cancelAnimationFrame(frame);
            }
        },
    };
}

// Rows all have the same height, so a row's place in the scrolled list is its index times that height.
// center: a row that is out of view comes to the middle (a jump); otherwise the list scrolls as little as it can
// (moving with j/k). A row already in view never moves.
export function scrollToRow(container, index, rowHeight, center) {
    if (!container) {
        return;
    }
    const top = index * rowHeight;
    const bottom = top + rowHeight;
    const hidden = top < container.scrollTop || bottom > container.scrollTop + container.clientHeight;
    if (!hidden) {
        return;
    }
    if (center) {
        container.scrollTop = Math.max(0, top - (container.clientHeight - rowHeight) / 2);
    } else if (top < container.scrollTop) {
        container.scrollTop = top;
    } else {
        container.scrollTop = bottom - container.clientHeight;
    }
}

// A range dragged across the axis zooms the timeline to it. The drag is drawn here (no round trip per move);
// the server gets the range as fractions of the axis once the pointer is released. A click (no real drag) does nothing.
export function watchAxis(axis, dotnet) {
    if (!axis) {
        return { dispose: () => {} };
    }
    const band = axis.querySelector('.axis-drag');
    let start = null;
    const fraction = e => {
        const r = axis.getBoundingClientRect();
        return Math.min(1, Math.max(0, (e.clientX - r.left) / r.width));
    };
    const draw = (a, b) => {
        band.hidden = false;
        band.style.left = `${Math.min(a, b) * 100}%`;
        band.style.width = `${Math.abs(b - a) * 100}%`;
    };
    const down = e => {
        if (e.button !== 0) {
            return;
        }
        start = fraction(e);
        axis.setPointerCapture(e.pointerId);
        draw(start, start);
        e.preventDefault();
    };
    const move = e => {
        if (start !== null) {
            draw(start, fraction(e));
        }
    };
    const up = e => {
        if (start === null) {
            return;
        }
        const end = fraction(e);
        const from = start;
        start = null;
        band.hidden = true;
        if (Math.abs(end - from) * axis.getBoundingClientRect().width >= 4) {
            dotnet.invokeMethodAsync('OnAxisRange', from, end).catch(err => console.debug('Zoom not delivered:', err));
        }
    };
    const cancel = () => {
        start = null;
        band.hidden = true;
    };
    axis.addEventListener('pointerdown', down);
    axis.addEventListener('pointermove', move);
    axis.addEventListener('pointerup', up);
    axis.addEventListener('pointercancel', cancel);
    return {
        dispose: () => {
            axis.removeEventListener('pointerdown', down);
            axis.removeEventListener('pointermove', move);
            axis.removeEventListener('pointerup', up);
            axis.removeEventListener('pointercancel', cancel);
        },
    };
}

export async function copy(text) {
    try {
        await navigator.clipboard.writeText(text);
        return true;
    } catch {
        // Without clipboard permission (or outside a secure context) fall back to a selection and the copy command.
        const area = document.createElement('textarea');
        area.value = text;
        area.style.position = 'fixed';
        area.style.opacity = '0';
        document.body.appendChild(area);
        area.select();
        const ok = document.execCommand('copy');
        area.remove();
        return ok;
    }
}
