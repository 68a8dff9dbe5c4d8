"""The stage's shader: soft wrapped diffuse, a gentle specular, a filtered shadow from the key light, and sRGB.

Panda3D's generated shaders need the Cg runtime, which Mesa's headless contexts refuse ("profile is not
supported"), and simplepbr's post-processing crashed in Mesa's EGL headless mode here, so the guide is lit by this
small GLSL 1.30 program, which runs on any OpenGL 3 driver, software or integrated. It reads glTF's PBR material
(base colour, roughness, metallic) through Panda3D's ``p3d_Material``; skinning and morphs stay on the CPU (Panda3D
animates vertices before they reach the shader), so every rig works with it. Nodes with the shader input
``unlit`` = 1 (the backdrop) show their vertex colours as they are.
"""

from __future__ import annotations

from panda3d.core import NodePath, Shader

VERTEX = """
#version 130
uniform mat4 p3d_ModelViewProjectionMatrix;
uniform mat4 p3d_ModelViewMatrix;
uniform mat3 p3d_NormalMatrix;
uniform struct p3d_LightSourceParameters {
    vec4 color;
    vec4 position;
    mat4 shadowViewMatrix;
    sampler2DShadow shadowMap;
} p3d_LightSource[3];
in vec4 p3d_Vertex;
in vec3 p3d_Normal;
in vec4 p3d_Color;
out vec3 v_position;
out vec3 v_normal;
out vec4 v_color;
out vec4 v_shadow;

void main() {
    vec4 view = p3d_ModelViewMatrix * p3d_Vertex;
    gl_Position = p3d_ModelViewProjectionMatrix * p3d_Vertex;
    v_position = view.xyz;
    v_normal = normalize(p3d_NormalMatrix * p3d_Normal);
    v_color = p3d_Color;
    v_shadow = p3d_LightSource[0].shadowViewMatrix * view;
}
"""

FRAGMENT = """
#version 130
uniform struct p3d_LightSourceParameters {
    vec4 color;
    vec4 position;
    mat4 shadowViewMatrix;
    sampler2DShadow shadowMap;
} p3d_LightSource[3];
uniform struct p3d_LightModelParameters { vec4 ambient; } p3d_LightModel;
uniform struct p3d_MaterialParameters {
    vec4 baseColor;
    float roughness;
    float metallic;
} p3d_Material;
uniform vec4 p3d_ColorScale;
uniform float unlit;
uniform float shadow_texel;
in vec3 v_position;
in vec3 v_normal;
in vec4 v_color;
in vec4 v_shadow;
out vec4 o_color;

float shadow_at(vec4 coord) {
    // 3x3 percentage-closer filter: soft shadow edges.
    float lit = 0.0;
    for (int x = -1; x <= 1; x++) {
        for (int y = -1; y <= 1; y++) {
            vec4 c = coord + vec4(x * shadow_texel * coord.w, y * shadow_texel * coord.w, -0.002 * coord.w, 0.0);
            lit += textureProj(p3d_LightSource[0].shadowMap, c);
        }
    }
    return lit / 9.0;
}

void main() {
    vec4 base = p3d_Material.baseColor * v_color * p3d_ColorScale;
    if (unlit > 0.5) {
        o_color = v_color * p3d_ColorScale;
        return;
    }
    vec3 n = normalize(v_normal);
    if (!gl_FrontFacing) n = -n;
    vec3 v = normalize(-v_position);
    float rough = clamp(p3d_Material.roughness, 0.05, 1.0);
    float shininess = 2.0 / max(rough * rough * rough * rough, 0.002) - 2.0;
    vec3 f0 = mix(vec3(0.04), base.rgb, p3d_Material.metallic);
    vec3 diffuse_color = base.rgb * (1.0 - p3d_Material.metallic);
    vec3 light = p3d_LightModel.ambient.rgb * diffuse_color;
    for (int i = 0; i < 3; i++) {
        vec3 l = normalize(p3d_LightSource[i].position.xyz);
        float ndl = dot(n, l);
        float wrap = max((ndl + 0.35) / 1.35, 0.0);  // soft light that wraps around the form
        float visible = i == 0 ? shadow_at(v_shadow) : 1.0;
        vec3 h = normalize(l + v);
        float spec = pow(max(dot(n, h), 0.0), shininess) * (shininess + 8.0) / 25.0;
        vec3 fresnel = f0 + (1.0 - f0) * pow(1.0 - max(dot(h, v), 0.0), 5.0);
        vec3 c = p3d_LightSource[i].color.rgb;
        light += c * visible * (diffuse_color * wrap + fresnel * spec * max(ndl, 0.0) * 0.5);
    }
    o_color = vec4(light, base.a);
}
"""


def apply_shader(render: NodePath, shadow_size: int) -> None:
    """Shade everything under ``render`` with the stage shader."""
    render.setShader(Shader.make(Shader.SL_GLSL, VERTEX, FRAGMENT))
    render.setShaderInput("unlit", 0.0)
    render.setShaderInput("shadow_texel", 1.0 / shadow_size)


def unlit(node: NodePath) -> None:
    node.setShaderInput("unlit", 1.0)


__all__ = ["apply_shader", "unlit"]
