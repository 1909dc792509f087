# Merges the four hand-annotated parts into one ground truth: identities linked across the shared
# frames (200, 400, 600) by box overlap; boxes on a shared frame averaged; ids renumbered P1.. in order
# of first appearance.
import json, os, sys
HERE = os.path.dirname(os.path.abspath(__file__))
parts = [json.load(open(os.path.join(HERE, f'part-{p}.json'))) for p in 'ABCD']
def iou(a, b):
    w = max(0, min(a[2], b[2]) - max(a[0], b[0])); h = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    i = w * h; ar = lambda x: (x[2]-x[0])*(x[3]-x[1])
    return i / (ar(a) + ar(b) - i) if i > 0 else 0
frames = {}   # frame -> list of people (global ids)
alias = {}    # part-local id -> global id
report = []
for k, part in enumerate(parts):
    fr = sorted(part['frames'], key=lambda f: f['frame'])
    if k > 0:
        shared = fr[0]['frame']
        prev = frames.get(shared, [])
        cur = fr[0]['people']
        pairs = sorted(((iou(p['box'], c['box']), i, j) for i, p in enumerate(prev) for j, c in enumerate(cur)), reverse=True)
        used_p, used_c = set(), set()
        for v, i, j in pairs:
            if v < 0.3 or i in used_p or j in used_c: continue
            used_p.add(i); used_c.add(j)
            alias[cur[j]['id']] = prev[i]['id']
            a, b = prev[i]['box'], cur[j]['box']
            prev[i]['box'] = [round((x + y) / 2) for x, y in zip(a, b)]
            prev[i]['ignore'] = prev[i]['ignore'] and cur[j]['ignore']
            report.append(f'frame {shared}: {cur[j]["id"]} = {prev[i]["id"]} (IoU {v:.2f})')
        for i, p in enumerate(prev):
            if i not in used_p: report.append(f'frame {shared}: {p["id"]} only in the earlier part')
        for j, c in enumerate(cur):
            if j not in used_c:
                report.append(f'frame {shared}: {c["id"]} only in the later part')
                alias[c['id']] = c['id']
                prev.append({**c})
        fr = fr[1:]
    for f in fr:
        if f['frame'] in frames: raise SystemExit(f'frame {f["frame"]} labelled twice')
        frames[f['frame']] = [{**p, 'id': alias.get(p['id'], p['id'])} for p in f['people']]
# Renumber P1.. in order of first appearance.
order = {}
for n in sorted(frames):
    for p in sorted(frames[n], key=lambda p: p['box'][0]):
        order.setdefault(p['id'], f'P{len(order) + 1}')
out = []
for n in sorted(frames):
    people = []
    for p in frames[n]:
        q = {'id': order[p['id']], 'box': [int(v) for v in p['box']], 'ignore': bool(p.get('ignore', False))}
        if p.get('note'): q['note'] = p['note']
        people.append(q)
    out.append({'frame': n, 'people': sorted(people, key=lambda p: int(p['id'][1:]))})
json.dump({'frames': out, 'ids': len(order)}, open(os.path.join(HERE, 'merged-frames.json'), 'w'))
print('\n'.join(report)); print(len(out), 'frames', sum(len(f['people']) for f in out), 'boxes', len(order), 'ids')
