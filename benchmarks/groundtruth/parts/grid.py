# Draws a coordinate grid on a frame (for reading pixel positions by eye) and, optionally, labelled boxes.
# usage: /usr/bin/python3 grid.py in.png out.png [boxes.json]   boxes.json: [{"id":"P1","box":[x1,y1,x2,y2],"ignore":false}, ...]
import sys, json, cv2
img = cv2.imread(sys.argv[1]); h, w = img.shape[:2]
scale = 1.5
img = cv2.resize(img, (int(w*scale), int(h*scale)), interpolation=cv2.INTER_CUBIC)
ov = img.copy()
for x in range(0, w, 25):
    c = (0,255,255) if x % 100 == 0 else (200,200,200)
    if x % 50 == 0 or True:
        cv2.line(ov, (int(x*scale),0), (int(x*scale), int(h*scale)), c, 1)
for y in range(0, h, 25):
    c = (0,255,255) if y % 100 == 0 else (200,200,200)
    cv2.line(ov, (0,int(y*scale)), (int(w*scale), int(y*scale)), c, 1)
img = cv2.addWeighted(ov, 0.35, img, 0.65, 0)
for x in range(0, w, 50):
    cv2.putText(img, str(x), (int(x*scale)+2, 12), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (0,255,255), 1)
    cv2.putText(img, str(x), (int(x*scale)+2, int(h*scale)-4), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (0,255,255), 1)
for y in range(0, h, 50):
    cv2.putText(img, str(y), (2, int(y*scale)+12), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (0,255,255), 1)
    cv2.putText(img, str(y), (int(w*scale)-30, int(y*scale)+12), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (0,255,255), 1)
if len(sys.argv) > 3:
    for p in json.load(open(sys.argv[3])):
        x1,y1,x2,y2 = [int(v*scale) for v in p["box"]]
        col = (128,128,128) if p.get("ignore") else (0,0,255)
        cv2.rectangle(img, (x1,y1), (x2,y2), col, 2)
        cv2.putText(img, p["id"], (x1+2, y1+14), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0,255,0), 2)
cv2.imwrite(sys.argv[2], img)
